"""sitroom: news articles in, sourced and coded event data out."""
