"""Controls: small anywidgets (radio groups, ratings, timers, key and device helpers), each with its JS and CSS beside it."""
