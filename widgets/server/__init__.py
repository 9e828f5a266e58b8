"""Server: the Voilà application Within serves, its settings, and the LAN join listener for group rooms."""
