"""Exchange formats: the export snapshot and the files other tools read (FtM, CSV, ...)."""
