"""What the keys do: one controller per kind of object (containers.py, images.py …).

Each confirms where something is destroyed, runs its engine calls in a thread
worker and reports with messages; its actions are a table of handlers
(``Actions.handlers``). ``Controllers`` makes each on first use, so starting
the app imports none of them or the screens they open.
"""
