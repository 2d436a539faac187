from paperread.cli import main

if __name__ == "__main__":  # guarded: parser worker processes import this module
    raise SystemExit(main())
