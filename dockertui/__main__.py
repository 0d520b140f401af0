"""Entry point for ``python -m dockertui``."""

from dockertui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
