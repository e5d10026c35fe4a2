// Calls to the JSON API. Every error comes back as {"error": {"code", "message", "status"}}; it is thrown as
// an ApiError so that views can show the message.

export class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function request(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  let body = null;
  try {
    body = await response.json();
  } catch {
    throw new ApiError("E208", `${path}: the server's answer is not JSON (${response.status})`, response.status);
  }
  if (!response.ok) {
    const error = body.error || {};
    throw new ApiError(error.code || "E208", error.message || `HTTP ${response.status}`, response.status);
  }
  return body;
}

export function get(path, params = {}, signal = undefined) {
  return request(path + query(params), { signal });
}

export function post(path, payload) {
  return request(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
}

// One request at a time per view: starting a new one cancels the one in flight.
export function latest() {
  let controller = null;
  return (path, params) => {
    if (controller) controller.abort();
    controller = new AbortController();
    return get(path, params, controller.signal);
  };
}

export function isAbort(error) {
  return error && error.name === "AbortError";
}
