package index

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// migration is one versioned step of the schema. Steps are applied in
// order at start, each in its own transaction with its version recorded,
// and never edited once released: a change of schema is a new step.
type migration struct {
	version int
	name    string
	// sql is the step's statements, separated by ";\n", in the SQL both
	// databases speak; {{int}} is a 64-bit integer type.
	sql string
	// sqlite and postgres are statements for one database only.
	sqlite, postgres string
	// reproject empties the projection and its checkpoint after the step,
	// so that the feed reads the ledger again from block 0: a step that
	// adds derived data the blocks already read did not fill.
	reproject bool
}

// migrations is the schema's history. Times are Unix seconds (UTC), as the
// chaincode writes them (to the second); amounts are integer fen; every
// table of records keeps the block of its last write.
var migrations = []migration{
	{version: 1, name: "ledger projection", sql: `
CREATE TABLE checkpoint (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	next_block {{int}} NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE ledger (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE participants (
	id            TEXT PRIMARY KEY,
	msp_id        TEXT NOT NULL,
	region        TEXT NOT NULL,
	division      TEXT NOT NULL,
	roles         TEXT NOT NULL,
	uscc          TEXT NOT NULL,
	name          TEXT NOT NULL,
	status        TEXT NOT NULL,
	registered_at {{int}} NOT NULL,
	updated_at    {{int}} NOT NULL,
	block         {{int}} NOT NULL
);
CREATE INDEX participants_by_uscc ON participants (uscc);
CREATE TABLE assets (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	description     TEXT NOT NULL,
	category        TEXT NOT NULL,
	source_region   TEXT NOT NULL,
	exchange_region TEXT NOT NULL,
	division        TEXT NOT NULL,
	content_hash    TEXT NOT NULL,
	applicant_id    TEXT NOT NULL,
	holder_id       TEXT NOT NULL,
	holder_msp      TEXT NOT NULL,
	derived         {{int}} NOT NULL,
	status          TEXT NOT NULL,
	certificate_id  TEXT NOT NULL,
	applied_at      {{int}} NOT NULL,
	registered_at   {{int}} NOT NULL,
	updated_at      {{int}} NOT NULL,
	block           {{int}} NOT NULL,
	search          TEXT NOT NULL,
	min_price_fen   {{int}}
);
CREATE INDEX assets_by_status ON assets (status, registered_at, id);
CREATE INDEX assets_by_category ON assets (category, status);
CREATE INDEX assets_by_division ON assets (division, status);
CREATE INDEX assets_by_holder ON assets (holder_id);
CREATE INDEX assets_by_name ON assets (status, name, id);
CREATE INDEX assets_by_price ON assets (status, min_price_fen, id);
CREATE TABLE asset_steps (
	asset_id TEXT NOT NULL,
	block    {{int}} NOT NULL,
	tx_id    TEXT NOT NULL,
	status   TEXT NOT NULL,
	at       {{int}} NOT NULL,
	PRIMARY KEY (asset_id, block, tx_id)
);
CREATE INDEX asset_steps_by_time ON asset_steps (status, at);
CREATE TABLE asset_objections (
	asset_id     TEXT NOT NULL,
	objection_id TEXT NOT NULL,
	status       TEXT NOT NULL,
	block        {{int}} NOT NULL,
	PRIMARY KEY (asset_id, objection_id)
);
CREATE TABLE rights (
	id          TEXT PRIMARY KEY,
	asset_id    TEXT NOT NULL,
	type        TEXT NOT NULL,
	holder_id   TEXT NOT NULL,
	holder_msp  TEXT NOT NULL,
	origin      TEXT NOT NULL,
	origin_ref  TEXT NOT NULL,
	parent_id   TEXT NOT NULL,
	grantor_id  TEXT NOT NULL,
	status      TEXT NOT NULL,
	purpose     TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	issued_at   {{int}} NOT NULL,
	updated_at  {{int}} NOT NULL,
	block       {{int}} NOT NULL
);
CREATE INDEX rights_by_holder ON rights (holder_id, status, asset_id, id);
CREATE INDEX rights_by_asset ON rights (asset_id);
CREATE TABLE listings (
	id            TEXT PRIMARY KEY,
	asset_id      TEXT NOT NULL,
	right_type    TEXT NOT NULL,
	pricing       TEXT NOT NULL,
	price_fen     {{int}} NOT NULL CHECK (price_fen >= 0),
	category      TEXT NOT NULL,
	source_region TEXT NOT NULL,
	seller_id     TEXT NOT NULL,
	seller_msp    TEXT NOT NULL,
	region        TEXT NOT NULL,
	status        TEXT NOT NULL,
	created_at    {{int}} NOT NULL,
	updated_at    {{int}} NOT NULL,
	block         {{int}} NOT NULL
);
CREATE INDEX listings_by_asset ON listings (asset_id, status, price_fen);
CREATE INDEX listings_by_seller ON listings (seller_id);
CREATE INDEX listings_by_time ON listings (created_at);
CREATE TABLE listing_prices (
	listing_id TEXT NOT NULL,
	seq        {{int}} NOT NULL,
	price_fen  {{int}} NOT NULL,
	at         {{int}} NOT NULL,
	PRIMARY KEY (listing_id, seq)
);
CREATE TABLE trades (
	id              TEXT PRIMARY KEY,
	listing_id      TEXT NOT NULL,
	asset_id        TEXT NOT NULL,
	right_type      TEXT NOT NULL,
	category        TEXT NOT NULL,
	region          TEXT NOT NULL,
	source_region   TEXT NOT NULL,
	buyer_id        TEXT NOT NULL,
	buyer_msp       TEXT NOT NULL,
	buyer_region    TEXT NOT NULL,
	seller_id       TEXT NOT NULL,
	seller_msp      TEXT NOT NULL,
	pricing         TEXT NOT NULL,
	price_fen       {{int}} CHECK (price_fen IS NULL OR (pricing = 'FIXED' AND price_fen >= 0)),
	status          TEXT NOT NULL,
	created_at      {{int}} NOT NULL,
	updated_at      {{int}} NOT NULL,
	completed_at    {{int}},
	completed_block {{int}},
	block           {{int}} NOT NULL
);
CREATE INDEX trades_by_completion ON trades (completed_at);
CREATE INDEX trades_by_region ON trades (region, category, completed_at);
CREATE INDEX trades_by_buyer ON trades (buyer_id, created_at, id);
CREATE INDEX trades_by_seller ON trades (seller_id, created_at, id);
CREATE TABLE credit_records (
	record_id    TEXT PRIMARY KEY,
	agency_msp   TEXT NOT NULL,
	region       TEXT NOT NULL,
	status       TEXT NOT NULL,
	published_at {{int}} NOT NULL,
	updated_at   {{int}} NOT NULL,
	block        {{int}} NOT NULL
);
CREATE TABLE credit_lookups (
	day            {{int}} NOT NULL,
	querier_region TEXT NOT NULL,
	subject_region TEXT NOT NULL,
	basis          TEXT NOT NULL,
	lookups        {{int}} NOT NULL,
	PRIMARY KEY (day, querier_region, subject_region, basis)
)`,
		sqlite:   `CREATE VIRTUAL TABLE asset_text USING fts5(asset_id UNINDEXED, body, tokenize = 'trigram')`,
		postgres: "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n" + `CREATE INDEX assets_by_text ON assets USING gin (search gin_trgm_ops)`,
	},
	{version: 2, name: "market facts of the published indices", reproject: true, sql: `
CREATE TABLE market_facts (
	kind     TEXT NOT NULL,
	ref      TEXT NOT NULL,
	block    {{int}} NOT NULL,
	tx_id    TEXT NOT NULL,
	at       {{int}} NOT NULL,
	division TEXT NOT NULL,
	category TEXT NOT NULL,
	price_fen {{int}},
	PRIMARY KEY (kind, ref)
);
CREATE INDEX market_facts_by_time ON market_facts (at, block)`},
	{version: 3, name: "full-text rows found by key", sqlite: `
CREATE TABLE asset_text_keys (
	text_row INTEGER PRIMARY KEY,
	asset_id TEXT NOT NULL UNIQUE
);
DELETE FROM asset_text;
INSERT INTO asset_text_keys (asset_id) SELECT id FROM assets ORDER BY id;
INSERT INTO asset_text (rowid, asset_id, body) SELECT k.text_row, a.id, a.search FROM assets a JOIN asset_text_keys k ON k.asset_id = a.id`},
	{version: 4, name: "listings by price", sql: `
CREATE INDEX listings_by_price ON listings (status, price_fen, asset_id)`},
	{version: 5, name: "rights under a revoked right", reproject: true, sql: `
ALTER TABLE rights ADD COLUMN revoked_above TEXT NOT NULL DEFAULT '';
CREATE INDEX rights_by_parent ON rights (parent_id)`},
	{version: 6, name: "blocks' latest transaction times", reproject: true, sql: `
CREATE TABLE block_times (
	block   {{int}} PRIMARY KEY,
	last_at {{int}} NOT NULL
);
CREATE INDEX block_times_by_time ON block_times (last_at, block)`},
	{version: 7, name: "regions' divisions by the market rules", reproject: true, sql: `
CREATE TABLE region_divisions (
	region   TEXT PRIMARY KEY,
	division TEXT NOT NULL,
	block    {{int}} NOT NULL
)`},
	// revoked_above names, from now on, the nearest right above that was
	// revoked or renounced, and ended_above_status says which.
	{version: 8, name: "rights under a renounced right", reproject: true, sql: `
ALTER TABLE rights ADD COLUMN ended_above_status TEXT NOT NULL DEFAULT ''`},
	{version: 9, name: "published periods newest first", reproject: true, sql: `
CREATE TABLE published_periods (
	period       TEXT PRIMARY KEY,
	period_start {{int}} NOT NULL,
	period_end   {{int}} NOT NULL,
	from_block   {{int}} NOT NULL,
	to_block     {{int}} NOT NULL,
	digest       TEXT NOT NULL,
	published_at {{int}} NOT NULL,
	block        {{int}} NOT NULL
);
CREATE INDEX published_periods_newest ON published_periods (period_end, period_start, period)`},
	// The closer (SalesWithWaitingTrades) starts from a region's waiting
	// trades and finds the sale of their listing.
	{version: 10, name: "trades waiting by region, and by listing", sql: `
CREATE INDEX trades_by_status ON trades (region, status);
CREATE INDEX trades_by_listing ON trades (listing_id, status)`},
	// ends_at is model.Right.EndsAt: from when a right, as stored, reads
	// EXPIRED (an offer's lapse, any other right's validUntil), computed by
	// the model's rule when the right is projected; reprojected so that
	// the offers already read lapse too.
	{version: 11, name: "offers that lapse", reproject: true, sql: `
ALTER TABLE rights ADD COLUMN ends_at TEXT NOT NULL DEFAULT ''`},
	// Every endorser transaction of the channel, valid or not, by the
	// digest of its creator (auth.CreatorDigest) and ID: the commit status
	// a member who signs itself reads of its own transactions (SentBy),
	// whose lookup walks its own sender's keys only and never reaches
	// another's row; reprojected so that the transactions already read
	// are there too.
	{version: 12, name: "transactions' senders", reproject: true, sql: `
CREATE TABLE transaction_senders (
	sender TEXT NOT NULL,
	tx_id  TEXT NOT NULL,
	code   TEXT NOT NULL,
	block  {{int}} NOT NULL,
	PRIMARY KEY (sender, tx_id)
)`},
	// A right renounced no longer ends a right it sold in a trade
	// (model.Right.StatusOver, interface 10.0.0): revoked_above and
	// ended_above_status are set again by that rule.
	{version: 13, name: "rights sold under a renounced right", reproject: true},
	// The queriers of each day-cell of the credit lookups, so that an
	// operator is shown a day's count only when enough of them made it
	// (OperatorCreditLookups); reprojected so that the lookups already
	// read have theirs.
	{version: 14, name: "credit lookups' queriers", reproject: true, sql: `
CREATE TABLE credit_lookup_queriers (
	day            {{int}} NOT NULL,
	querier_region TEXT NOT NULL,
	subject_region TEXT NOT NULL,
	querier        TEXT NOT NULL,
	PRIMARY KEY (day, querier_region, subject_region, querier)
)`},
	// A record written under a key that is not its own changes no row
	// (decodeKeyed): reprojected so that the rows such records rewrote
	// read as the ledger's records again.
	{version: 15, name: "records under their own keys", reproject: true},
	// The block of each period's first valid write of its publication
	// record (its indices:Open), which alone closes the period
	// (ClosingBlock): reprojected so that the openings already read are
	// there too.
	{version: 16, name: "periods' openings", reproject: true, sql: `
CREATE TABLE period_openings (
	period TEXT PRIMARY KEY,
	block  {{int}} NOT NULL
)`},
	// The trades whose completion mark (model.SaleMark, interface 16.0.0)
	// the index read: from the first on, a trade counts as a sale only when
	// the transaction that wrote it COMPLETED wrote its mark too
	// (projectTrade); reprojected so that every gateway draws that line at
	// the same block, however late it was upgraded.
	{version: 17, name: "sales sealed by their completion marks", reproject: true, sql: `
CREATE TABLE sale_marks (
	trade_id TEXT PRIMARY KEY,
	block    {{int}} NOT NULL
)`},
	// The line from which every sale needs its completion mark is the
	// first block that writes any key only a majority writes under
	// interface 16.0.0 (model.MajorityMarkKeyTypes), no longer the first
	// completion mark, which one org alone put off while it forged sales
	// (sealedSale); a fact about an asset counts in the division of its
	// registration fact, no longer the one its holder's org last wrote
	// (assetDivision). Reprojected so that the facts already read follow.
	{version: 18, name: "sales sealed from interface 16.0.0, in their asset's registered division", reproject: true, sql: `
DROP TABLE sale_marks;
CREATE TABLE sealing_line (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	block {{int}} NOT NULL
)`},
	// The listings' closings (model.ListingClosing, interface 18.0.0): a
	// sale or a holding's move closes a listing by its closing, not by
	// writing it, and a listing reads as its closing says whatever its
	// record says (projectListing). No ledger has one before 18.0.0, so
	// nothing is reprojected.
	{version: 19, name: "listings closed by their closings", sql: `
CREATE TABLE listing_closings (
	listing_id TEXT PRIMARY KEY,
	status     TEXT NOT NULL,
	updated_at {{int}} NOT NULL,
	block      {{int}} NOT NULL
)`},
}

// projectionTables are the tables rebuilt from the ledger, in an order
// that deleting them in is safe.
var projectionTables = []string{
	"participants", "assets", "asset_steps", "asset_objections", "rights", "listings", "listing_prices",
	"trades", "credit_records", "credit_lookups", "credit_lookup_queriers", "market_facts", "block_times", "region_divisions", "published_periods",
	"transaction_senders", "period_openings", "sealing_line", "listing_closings",
}

// migrate applies the steps the database has not had yet.
func (d *db) migrate(ctx context.Context) error {
	if err := d.dropLegacy(ctx); err != nil {
		return err
	}
	if _, err := d.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := d.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for v := range applied {
		if v > migrations[len(migrations)-1].version {
			return fmt.Errorf("the index has schema version %d, newer than this gateway's %d: upgrade the gateway, or rebuild the index", v, migrations[len(migrations)-1].version)
		}
	}
	for _, m := range migrations {
		if applied[m.version] {
			continue
		}
		if err := d.apply(ctx, m); err != nil {
			return fmt.Errorf("schema migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

func (d *db) apply(ctx context.Context, m migration) error {
	t, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	statements := m.sql
	if extra := map[string]string{"sqlite": m.sqlite, "postgres": m.postgres}[d.name]; extra != "" {
		statements += ";\n" + extra
	}
	statements = strings.ReplaceAll(statements, "{{int}}", "BIGINT")
	for _, s := range strings.Split(statements, ";\n") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, err := t.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w in %s", err, strings.TrimSpace(s))
		}
	}
	if m.reproject {
		if err := reset(ctx, t); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return t.Commit()
}

// SchemaVersion is the latest schema version this gateway knows.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// dropLegacy deletes the tables of the first market index (trade events
// only, a "meta" table and no migrations): derived data, rebuilt from the
// ledger.
func (d *db) dropLegacy(ctx context.Context) error {
	if d.name != "sqlite" {
		return nil
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	_, err := d.ExecContext(ctx, `DROP TABLE IF EXISTS trades; DROP TABLE IF EXISTS checkpoint; DROP TABLE meta`)
	return err
}
