"""Rooms: anonymous group rooms, their moderation and their projector view."""
