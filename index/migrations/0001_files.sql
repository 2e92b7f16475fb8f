-- One row per entry file seen under <entries>/YYYY/MM/*.md. Never edit a migration that has
-- shipped: add the next numbered file instead.
CREATE TABLE files (
    path      TEXT PRIMARY KEY,   -- relative to the repository's working tree
    id        TEXT NOT NULL,      -- the file stem
    mtime_ns  INTEGER NOT NULL,   -- modification time when indexed, nanoseconds since the epoch
    size      INTEGER NOT NULL,   -- size in bytes when indexed
    hash      TEXT NOT NULL,      -- FNV-1a 64 of the bytes, hex: tells a touch from an edit
    date      INTEGER,            -- the entry's date, seconds since the epoch (NULL when bad)
    error     TEXT                -- why the file cannot be read, NULL when it is a good entry
);
CREATE INDEX files_id ON files (id);

-- Index state: schema version, last sync.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
