"""``python -m xl_kpi …`` works like ``xl-kpi …``."""

from .cli import main

if __name__ == "__main__":
    main()
