"""Course content as files: parse and validate (load), write to the database (sync), write back (export)."""
