-- Bad files are reported by every command that syncs, also when nothing changed: find them
-- without scanning the whole table.
CREATE INDEX files_bad ON files (path) WHERE error IS NOT NULL;

-- When the sync that recorded a row started (file system clock, nanoseconds). A file whose
-- mtime is not older than that could change again without its mtime or size changing
-- ("racy", as git calls it), so it is read again by the next sync.
ALTER TABLE files ADD COLUMN scanned_ns INTEGER NOT NULL DEFAULT 0;
