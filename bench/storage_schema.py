"""Tables that later issues own (faults, incidents, patrol log, health roll-ups), in the shape
the storage benchmark expects them to take. Kept here, not in the migrations, until the
benchmark moves onto the real tables (those issues have landed since). The incidents
placeholder is ``bench_incidents``: the real ``incidents`` table exists now, and a placeholder
of the same name was skipped by ``IF NOT EXISTS`` and then filled with the wrong columns."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS faults (
    id TEXT PRIMARY KEY,
    camera_id TEXT NOT NULL REFERENCES cameras(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    severity INTEGER NOT NULL,
    opened_at TEXT NOT NULL,
    due_at TEXT,
    closed_at TEXT,
    occurrences INTEGER NOT NULL DEFAULT 1,
    description TEXT NOT NULL DEFAULT ''
);
-- Open faults are a few hundred among 200k: partial indexes keep the fault desk and the
-- per-owner counts from scanning closed history (a full scan measured ~430 ms).
CREATE INDEX IF NOT EXISTS faults_open ON faults(opened_at) WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS faults_open_camera ON faults(camera_id) WHERE status <> 'closed';
CREATE INDEX IF NOT EXISTS faults_camera ON faults(camera_id, opened_at);
CREATE TABLE IF NOT EXISTS bench_incidents (
    id TEXT PRIMARY KEY,
    camera_id TEXT REFERENCES cameras(id),
    site_id TEXT REFERENCES sites(id),
    category TEXT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    reported_at TEXT NOT NULL,
    officer TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS bench_incidents_time ON bench_incidents(reported_at);
CREATE INDEX IF NOT EXISTS bench_incidents_site ON bench_incidents(site_id, reported_at);
CREATE TABLE IF NOT EXISTS patrol_log (
    id INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    officer TEXT NOT NULL,
    shift_id INTEGER NOT NULL,
    plan_id INTEGER,
    shown_at TEXT NOT NULL,
    dwell_ms INTEGER NOT NULL,
    tile_size TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS patrol_log_shift ON patrol_log(shift_id, camera_id);
CREATE INDEX IF NOT EXISTS patrol_log_camera ON patrol_log(camera_id, shown_at);
CREATE TABLE IF NOT EXISTS health_daily (
    camera_id TEXT NOT NULL,
    day TEXT NOT NULL,
    checks INTEGER NOT NULL,
    online INTEGER NOT NULL,
    PRIMARY KEY (camera_id, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS health_daily_day ON health_daily(day);
CREATE TABLE IF NOT EXISTS health_monthly (
    camera_id TEXT NOT NULL,
    month TEXT NOT NULL,
    checks INTEGER NOT NULL,
    online INTEGER NOT NULL,
    PRIMARY KEY (camera_id, month)
) WITHOUT ROWID;
"""
