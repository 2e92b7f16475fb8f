-- Evidence commits of the journal's repository ('') and of each [repos.NAME], as walked from
-- their history; kept so that a change of [[rules]] re-tags them without walking again.
CREATE TABLE commits (
    repo      TEXT NOT NULL,
    sha       TEXT NOT NULL,
    author    TEXT NOT NULL,
    date      INTEGER NOT NULL,   -- seconds since the epoch
    date_text TEXT NOT NULL,      -- RFC 3339 with the author's offset
    subject   TEXT NOT NULL,
    body      TEXT NOT NULL,
    paths     TEXT NOT NULL,      -- changed paths, one per line
    PRIMARY KEY (repo, sha)
);
