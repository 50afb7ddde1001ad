package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
)

// A projector turns one write of a record of the chaincode into rows. attrs
// are the attributes of the record's composite key; the value is the
// record's JSON. It reports how many rows it wrote.
type projector func(ctx context.Context, p *projection, attrs []string, value []byte) (int, error)

// projectors maps the chaincode's record key types (the object types of its
// composite keys, see each contract's store) to their projection. Index
// entries (key types with "~", markers) carry nothing the records do not,
// and a type without a projector (authorisations, staged contents' hashes)
// is not indexed. Of the market rules the index keeps each region's own
// division (projectMarketRules).
var projectors = map[string]projector{
	"participant":   projectParticipant,
	"asset":         projectAsset,
	"objection":     projectAssetObjection,
	"right":         projectRight,
	"listing":       projectListing,
	"listing~price": projectListingPrice,
	"trade":         projectTrade,
	"credit.record": projectCreditRecord,
	"credit.trace":  projectCreditTrace,
	"market~rules":  projectMarketRules,
	// The publication records of the indices contract (chaincode/indices):
	// the periods published, listed newest first (PublishedPeriods).
	"indices.publication": projectPublication,
	// A listing's closing (interface 18.0.0) closes it.
	model.ListingClosedKeyType: projectListingClosing,
}

// The marks only a majority of the orgs writes under interface 16.0.0
// (completion marks among them) draw the line from which every sale needs
// its own (projectMajorityMark, sealedSale).
func init() {
	for _, keyType := range model.MajorityMarkKeyTypes {
		projectors[keyType] = projectMajorityMark
	}
}

// projection is the context of one transaction's writes being projected.
type projection struct {
	t     *tx
	block uint64
	txn   *chain.Transaction
}

// at is the transaction's time as the chaincode read it: whole seconds.
func (p *projection) at() int64 { return p.txn.Timestamp.Unix() }

// projectBlock writes the rows of a block's valid transactions. It reports
// how many rows it wrote. A record it cannot read is passed to skip and
// left out.
func projectBlock(ctx context.Context, t *tx, b *chain.Block, skip func(error)) (int, error) {
	rows := 0
	lastAt, valid := int64(0), false
	for i := range b.Transactions {
		txn := &b.Transactions[i]
		if !txn.Valid() {
			continue
		}
		if !txn.OtherChaincode {
			// Only the market chaincode's transactions close periods
			// (model.PeriodClosesAt): every endorser checked their
			// timestamps against its clock (model.MaxClockSkew,
			// model.MaxClockLead); another chaincode's (a lifecycle
			// transaction, say) could be stamped at any time.
			lastAt, valid = max(lastAt, txn.Timestamp.Unix()), true
		}
		p := &projection{t: t, block: b.Number, txn: txn}
		for _, w := range txn.Writes {
			keyType, attrs, ok := splitCompositeKey(w.Key)
			if !ok || w.Delete {
				// The chaincode deletes only index entries; a record is
				// never deleted, it changes status.
				continue
			}
			project, ok := projectors[keyType]
			if !ok {
				continue
			}
			n, err := project(ctx, p, attrs, w.Value)
			if errors.Is(err, errUndecodable) {
				skip(fmt.Errorf("block %d, transaction %s, %s %v: %w", b.Number, txn.ID, keyType, attrs, err))
				continue
			}
			if err != nil {
				return rows, fmt.Errorf("block %d, transaction %s, %s %v: %w", b.Number, txn.ID, keyType, attrs, err)
			}
			rows += n
		}
	}
	if valid {
		// The block's latest transaction time closes the periods that
		// ended by it (ClosingBlock).
		if _, err := t.exec(ctx, `INSERT INTO block_times (block, last_at) VALUES (?, ?)`, int64(b.Number), lastAt); err != nil {
			return rows, fmt.Errorf("block %d: %w", b.Number, err)
		}
		rows++
	}
	return rows, nil
}

// splitCompositeKey splits a composite key ("\x00" type "\x00" attr
// "\x00" ...) into its type and attributes.
func splitCompositeKey(key string) (string, []string, bool) {
	if len(key) < 2 || key[0] != 0 || key[len(key)-1] != 0 {
		return "", nil, false
	}
	parts := strings.Split(key[1:len(key)-1], "\x00")
	return parts[0], parts[1:], true
}

// errUndecodable marks a record the index cannot read. It is not retried:
// chaincode output that does not parse will not parse on a second read.
var errUndecodable = errors.New("undecodable record")

func decode(value []byte, v any) error {
	if err := json.Unmarshal(value, v); err != nil {
		return fmt.Errorf("%w: %v", errUndecodable, err)
	}
	return nil
}

// decodeKeyed decodes with decodeOf (decode, decodePriced) a record that names its key
// (model.Keyed), and refuses it as undecodable unless it names attrs, the
// key it was written under (model.NamesItsKey). The rows are upserted by
// the record's own ID, and a key already written is under its record's
// key-level policy, often of one org (a listing's seller's, a participant's,
// a trade's parties' when one org has both): that org, running chaincode of
// its own, could write under its own key a record naming another org's
// listing, participant or trade, or a sale that never was, and every
// region's index would then show it in place of the ledger's (a rival's
// listing delisted in the catalogue, a trade in a member's history, a sale
// in the figures the regions attest alike), where the chaincode takes it
// for no record at all (chaincode/internal/state.Find).
func decodeKeyed(decodeOf func([]byte, any) error, value []byte, attrs []string, r model.Keyed) error {
	if err := decodeOf(value, r); err != nil {
		return err
	}
	if !model.NamesItsKey(r, attrs) {
		return fmt.Errorf("%w: the record names the key %q, not the one it was written under", errUndecodable, r.KeyAttrs())
	}
	return nil
}

// decodePriced decodes a listing, price point or trade record. Amounts are
// JSON integers, but the chain's earlier blocks may hold records written
// while the chaincode stored priceFen as a decimal string; the ledger never
// rewrites them, and the index reads every block from 0, so such a price is
// read as the integer its digits spell. Anything else that is not an
// integer is undecodable, as before.
func decodePriced(value []byte, v any) error {
	err := json.Unmarshal(value, v)
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) || typeErr.Field != "priceFen" || typeErr.Value != "string" {
		return decode(value, v)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(value, &fields); err != nil {
		return decode(value, v)
	}
	var digits string
	if err := json.Unmarshal(fields["priceFen"], &digits); err != nil {
		return decode(value, v)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: priceFen %q is not an amount in fen", errUndecodable, digits)
	}
	fields["priceFen"] = json.RawMessage(strconv.FormatInt(n, 10))
	rewritten, err := json.Marshal(fields)
	if err != nil {
		return decode(value, v)
	}
	return decode(rewritten, v)
}

// unix reads a ledger time (RFC 3339, UTC, whole seconds); 0 when empty.
func unix(s string) int64 {
	if s == "" {
		return 0
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0
	}
	return t.Unix()
}

// fen reads an amount in fen; ok is false when there is none (a record
// leaves priceFen out, or 0, where it has no public price).
func fen(n int64) (int64, bool) {
	return n, n > 0
}

// upsert writes a row keyed by its first keyCols columns, replacing every
// other column of an existing row.
func upsert(table string, keyCols int, cols ...string) string {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	var set []string
	for _, c := range cols[keyCols:] {
		set = append(set, c+" = excluded."+c)
	}
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + marks + ") ON CONFLICT (" +
		strings.Join(cols[:keyCols], ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// The statements are built once.
var (
	upsertParticipant = upsert("participants", 1, "id", "msp_id", "region", "division", "roles", "uscc", "name", "status",
		"registered_at", "updated_at", "block")
	upsertAsset = upsert("assets", 1, "id", "name", "description", "category", "source_region", "exchange_region", "division",
		"content_hash", "applicant_id", "holder_id", "holder_msp", "derived", "status", "certificate_id", "applied_at",
		"registered_at", "updated_at", "block", "search")
	upsertObjection = upsert("asset_objections", 2, "asset_id", "objection_id", "status", "block")
	upsertRight     = upsert("rights", 1, "id", "asset_id", "type", "holder_id", "holder_msp", "origin", "origin_ref", "parent_id",
		"grantor_id", "status", "purpose", "valid_until", "issued_at", "updated_at", "revoked_above", "ended_above_status", "ends_at", "block")
	upsertListing = upsert("listings", 1, "id", "asset_id", "right_type", "pricing", "price_fen", "category", "source_region",
		"seller_id", "seller_msp", "region", "status", "created_at", "updated_at", "block")
	upsertListingClosing = upsert("listing_closings", 1, "listing_id", "status", "updated_at", "block")
	// A price point is written once (listings' UpdatePrice keeps old
	// prices): a later write of one, which only orgs running chaincode of
	// their own make (the seller's org alone could, before interface
	// 16.0.0), changes no row.
	insertListingPrice = "INSERT INTO listing_prices (listing_id, seq, price_fen, at) VALUES (?, ?, ?, ?) ON CONFLICT (listing_id, seq) DO NOTHING"
	upsertTrade        = upsert("trades", 1, "id", "listing_id", "asset_id", "right_type", "category", "region", "source_region",
		"buyer_id", "buyer_msp", "buyer_region", "seller_id", "seller_msp", "pricing", "price_fen", "status", "created_at",
		"updated_at", "completed_at", "completed_block", "block")
	upsertCreditRecord = upsert("credit_records", 1, "record_id", "agency_msp", "region", "status", "published_at", "updated_at", "block")
)

func projectParticipant(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var r model.Participant
	if err := decodeKeyed(decode, value, attrs, &r); err != nil {
		return 0, err
	}
	_, err := p.t.exec(ctx, upsertParticipant, r.ID, r.MSPID, r.Region, r.Division, strings.Join(r.Roles, ","), r.USCC, r.Name,
		r.Status, unix(r.RegisteredAt), unix(r.UpdatedAt), p.block)
	return 1, err
}

func projectAsset(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var a model.Asset
	if err := decodeKeyed(decode, value, attrs, &a); err != nil {
		return 0, err
	}
	var previous, previousSearch string
	err := p.t.queryRow(ctx, `SELECT status, search FROM assets WHERE id = ?`, a.ID).Scan(&previous, &previousSearch)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	derived := 0
	if len(a.Sources) > 0 {
		derived = 1
	}
	search := strings.ToLower(strings.Join([]string{a.ID, a.Name, a.Description, a.Category}, " "))
	if _, err := p.t.exec(ctx, upsertAsset, a.ID, a.Name, a.Description, a.Category, a.SourceRegion, a.ExchangeRegion, a.Division,
		a.ContentHash, a.ApplicantID, a.HolderID, a.HolderMSP, derived, a.Status, a.CertificateID, unix(a.AppliedAt),
		unix(a.RegisteredAt), unix(a.UpdatedAt), p.block, search); err != nil {
		return 0, err
	}
	rows := 1
	if p.t.d.name == "sqlite" && search != previousSearch {
		if err := writeAssetText(ctx, p.t, a.ID, search); err != nil {
			return rows, err
		}
	}
	if a.Status == model.AssetRegistered && previous != a.Status {
		division, err := factDivision(ctx, p.t, a.Division, a.ExchangeRegion)
		if err != nil {
			return rows, err
		}
		if err := addFact(ctx, p, factRegistration, a.ID, division, a.Category, nil); err != nil {
			return rows, err
		}
		rows++
	}
	if previous != a.Status {
		// A registration step: the application, the review, the notice, a
		// withdrawal, the certificate.
		if _, err := p.t.exec(ctx, `INSERT INTO asset_steps (asset_id, block, tx_id, status, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (asset_id, block, tx_id) DO NOTHING`, a.ID, p.block, p.txn.ID, a.Status, p.at()); err != nil {
			return rows, err
		}
		rows++
	}
	return rows, nil
}

// writeAssetText keeps an asset's row of SQLite's full-text table, found by
// the rowid asset_text_keys gives the asset once and for all. A full-text
// table has no index on a column of its own: finding the row by asset_id
// read the whole table, at every registration step of every asset, and made
// the catch-up slow down with the number of assets.
func writeAssetText(ctx context.Context, t *tx, assetID, body string) error {
	var row int64
	err := t.queryRow(ctx, `SELECT text_row FROM asset_text_keys WHERE asset_id = ?`, assetID).Scan(&row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := t.exec(ctx, `INSERT INTO asset_text_keys (asset_id) VALUES (?)`, assetID)
		if err != nil {
			return err
		}
		if row, err = res.LastInsertId(); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if _, err := t.exec(ctx, `DELETE FROM asset_text WHERE rowid = ?`, row); err != nil {
			return err
		}
	}
	_, err = t.exec(ctx, `INSERT INTO asset_text (rowid, asset_id, body) VALUES (?, ?, ?)`, row, assetID, body)
	return err
}

func projectAssetObjection(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var o model.Objection
	if err := decodeKeyed(decode, value, attrs, &o); err != nil {
		return 0, err
	}
	_, err := p.t.exec(ctx, upsertObjection, o.AssetID, o.ID, o.Status, p.block)
	return 1, err
}

func projectRight(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var r model.Right
	if err := decodeKeyed(decode, value, attrs, &r); err != nil {
		return 0, err
	}
	above, aboveStatus, err := endedAbove(ctx, p.t, &r)
	if err != nil {
		return 0, err
	}
	if _, err := p.t.exec(ctx, upsertRight, r.ID, r.AssetID, r.Type, r.HolderID, r.HolderMSP, r.Origin, r.OriginRef, r.ParentRightID,
		r.GrantorID, r.Status, r.Scope.Purpose, r.Scope.ValidUntil, unix(r.IssuedAt), unix(r.UpdatedAt), above, aboveStatus, r.EndsAt(), p.block); err != nil {
		return 0, err
	}
	if slices.Contains(endedStatuses, r.Status) {
		return 1, endBelow(ctx, p.t, r.ID, r.Status)
	}
	return 1, nil
}

func projectListing(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var l model.Listing
	if err := decodeKeyed(decodePriced, value, attrs, &l); err != nil {
		return 0, err
	}
	price, ok := fen(l.PriceFen)
	if !ok {
		return 0, fmt.Errorf("%w: listing %s has price %d", errUndecodable, l.ID, l.PriceFen)
	}
	var seen int
	err := p.t.queryRow(ctx, `SELECT COUNT(*) FROM listings WHERE id = ?`, l.ID).Scan(&seen)
	if err != nil {
		return 0, err
	}
	if seen == 0 {
		division, err := assetDivision(ctx, p.t, l.AssetID, l.Region)
		if err != nil {
			return 0, err
		}
		if err := addFact(ctx, p, factListing, l.ID, division, l.Category, price); err != nil {
			return 0, err
		}
	}
	if _, err := p.t.exec(ctx, upsertListing, l.ID, l.AssetID, l.RightType, l.Pricing, price, l.Category, l.SourceRegion,
		l.SellerID, l.SellerMSP, l.Region, l.Status, unix(l.CreatedAt), unix(l.UpdatedAt), p.block); err != nil {
		return 0, err
	}
	// A closed listing reads as its closing says, as the chaincode reads it
	// (listings.Get): a listing written before interface 18.0.0 is its
	// seller's org's alone, which may write it again after a sale closed it.
	if _, err := p.t.exec(ctx, `UPDATE listings SET status = (SELECT status FROM listing_closings WHERE listing_id = ?),
updated_at = (SELECT updated_at FROM listing_closings WHERE listing_id = ?) WHERE id = ? AND EXISTS (SELECT 1 FROM listing_closings WHERE listing_id = ?)`,
		l.ID, l.ID, l.ID, l.ID); err != nil {
		return 0, err
	}
	return 2, lowestPrice(ctx, p, l.AssetID)
}

// lowestPrice sets the lowest ACTIVE listing price of asset assetID, by
// which the catalogue sorts and filters assets.
func lowestPrice(ctx context.Context, p *projection, assetID string) error {
	_, err := p.t.exec(ctx, `UPDATE assets SET min_price_fen = (SELECT MIN(price_fen) FROM listings WHERE asset_id = ? AND status = 'ACTIVE') WHERE id = ?`,
		assetID, assetID)
	return err
}

// projectListingClosing closes a listing as its closing says
// (model.ListingClosing): from interface 18.0.0 a sale of a holding and a
// holding's move take the seller's listings of the asset off the market by
// their closings and write no listing. The closing is kept, for a later
// write of the listing's record to read as closed (projectListing).
func projectListingClosing(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var c model.ListingClosing
	if err := decodeKeyed(decode, value, attrs, &c); err != nil {
		return 0, err
	}
	if c.Status != model.ListingSold && c.Status != model.ListingDelisted {
		return 0, fmt.Errorf("%w: listing %s closed as %q", errUndecodable, c.ListingID, c.Status)
	}
	if _, err := p.t.exec(ctx, upsertListingClosing, c.ListingID, c.Status, unix(c.At), p.block); err != nil {
		return 0, err
	}
	if _, err := p.t.exec(ctx, `UPDATE listings SET status = ?, updated_at = ?, block = ? WHERE id = ?`,
		c.Status, unix(c.At), p.block, c.ListingID); err != nil {
		return 0, err
	}
	var assetID string
	switch err := p.t.queryRow(ctx, `SELECT asset_id FROM listings WHERE id = ?`, c.ListingID).Scan(&assetID); {
	case errors.Is(err, sql.ErrNoRows):
		return 1, nil
	case err != nil:
		return 0, err
	}
	return 2, lowestPrice(ctx, p, assetID)
}

func projectListingPrice(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var pp model.PricePoint
	if err := decodePriced(value, &pp); err != nil {
		return 0, err
	}
	price, ok := fen(pp.PriceFen)
	if len(attrs) < 1 || !ok {
		return 0, fmt.Errorf("%w: price point %v", errUndecodable, attrs)
	}
	_, err := p.t.exec(ctx, insertListingPrice, attrs[0], pp.Seq, price, unix(pp.At))
	return 1, err
}

// projectTrade keeps a trade's public record. The price is kept only for a
// FIXED trade, where it is the listing's public price: a negotiated price
// is confidential and not on the record (only its hash), and the index
// would not keep it if it were. A trade is completed, for the statistics,
// by the transaction that first wrote it COMPLETED, and only if that
// transaction wrote its completion mark (sealedSale); its row is final from
// then on.
//
// A trade's record is under its two parties' orgs alone (one org when both
// parties are its members), which can write it by themselves, COMPLETED at
// any price and naming any buyer, or rewrite a sale's price and buyer
// after it; the mark is a new key, which only a majority of the orgs
// endorses. A write of a trade COMPLETED without its mark is left out
// (skipped as undecodable, the row keeping the trade's last status), and a
// later write of a completed trade changes nothing: the chaincode changes
// no sale's facts after its completion.
func projectTrade(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var r model.Trade
	if err := decodeKeyed(decodePriced, value, attrs, &r); err != nil {
		return 0, err
	}
	var previous string
	var completedAt, completedBlock sql.NullInt64
	err := p.t.queryRow(ctx, `SELECT status, completed_at, completed_block FROM trades WHERE id = ?`, r.ID).
		Scan(&previous, &completedAt, &completedBlock)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if completedAt.Valid {
		return 0, nil
	}
	var price any
	if r.Pricing == model.PricingFixed {
		if n, ok := fen(r.PriceFen); ok {
			price = n
		}
	}
	if r.Status == model.TradeCompleted {
		if sealed, err := sealedSale(ctx, p, &r); err != nil {
			return 0, err
		} else if !sealed {
			return 0, fmt.Errorf("%w: trade %s written COMPLETED without its completion mark", errUndecodable, r.ID)
		}
		completedAt = sql.NullInt64{Int64: p.at(), Valid: true}
		completedBlock = sql.NullInt64{Int64: int64(p.block), Valid: true}
		division, err := assetDivision(ctx, p.t, r.AssetID, r.Region)
		if err != nil {
			return 0, err
		}
		if err := addFact(ctx, p, factSale, r.ID, division, r.Category, price); err != nil {
			return 0, err
		}
	}
	var buyerRegion string
	err = p.t.queryRow(ctx, `SELECT region FROM participants WHERE id = ?`, r.BuyerID).Scan(&buyerRegion)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	_, err = p.t.exec(ctx, upsertTrade, r.ID, r.ListingID, r.AssetID, r.RightType, r.Category, r.Region, r.SourceRegion,
		r.BuyerID, r.BuyerMSP, buyerRegion, r.SellerID, r.SellerMSP, r.Pricing, price, r.Status, unix(r.CreatedAt),
		unix(r.UpdatedAt), nullable(completedAt), nullable(completedBlock), p.block)
	return 1, err
}

// sealedSale reports whether the transaction that writes trade r COMPLETED
// is its completion: it writes r's completion mark too, vouching for r
// (model.SaleMark.Vouches). Before the line where interface 16.0.0 took
// effect on the channel (a sale completed before, which wrote no mark),
// every such write is one, as the index counted them then.
//
// The line is the first block that writes a key of any of
// model.MajorityMarkKeyTypes (projectMajorityMark): keys only chaincode of
// 16.0.0 writes, as new keys under the chaincode-level policy, so that
// only a majority of the orgs sets the line, the same at every gateway.
// Drawn at the first completion mark, one org alone, both parties its
// members, forged sales that counted for good from the upgrade until the
// first honest completion; an order, a registration, an application, a
// credit record or an authorisation marks the upgrade as well, usually
// long before.
func sealedSale(ctx context.Context, p *projection, r *model.Trade) (bool, error) {
	for _, w := range p.txn.Writes {
		keyType, attrs, ok := splitCompositeKey(w.Key)
		if !ok || w.Delete || keyType != model.SaleMarkKeyType {
			continue
		}
		var mark model.SaleMark
		if decodeKeyed(decode, w.Value, attrs, &mark) == nil && mark.Vouches(r) {
			return true, nil
		}
	}
	var drawn int
	if err := p.t.queryRow(ctx, `SELECT COUNT(*) FROM sealing_line`).Scan(&drawn); err != nil {
		return false, err
	}
	return drawn == 0, nil
}

// projectMajorityMark notes the first block that writes a mark only a
// majority of the orgs writes under interface 16.0.0: from it on, every
// sale needs its own completion mark (sealedSale).
func projectMajorityMark(ctx context.Context, p *projection, _ []string, _ []byte) (int, error) {
	_, err := p.t.exec(ctx, `INSERT INTO sealing_line (id, block) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, p.block)
	return 1, err
}

func nullable(n sql.NullInt64) any {
	if !n.Valid {
		return nil
	}
	return n.Int64
}

func projectCreditRecord(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var r model.Record
	if err := decodeKeyed(decode, value, attrs, &r); err != nil {
		return 0, err
	}
	_, err := p.t.exec(ctx, upsertCreditRecord, r.RecordID, r.AgencyMSP, r.Region, r.Status, unix(r.PublishedAt), unix(r.UpdatedAt), p.block)
	return 1, err
}

// projectCreditTrace counts a credit lookup per day (China Standard Time),
// region of the one who looked, region of the subject and basis, and who
// looked on the day at the subject's region. Who looked at whom is the
// subject's and the regulator's business: the index keeps no subject. A trace is written once, by the lookup that makes it.
func projectCreditTrace(ctx context.Context, p *projection, attrs []string, value []byte) (int, error) {
	var tr model.Trace
	if err := decodeKeyed(decode, value, attrs, &tr); err != nil {
		return 0, err
	}
	querier, err := regionOf(ctx, p.t, `SELECT region FROM participants WHERE id = ?`, tr.QuerierID)
	if err != nil {
		return 0, err
	}
	subject, err := regionOf(ctx, p.t, `SELECT MIN(region) FROM participants WHERE uscc = ?`, tr.SubjectUSCC)
	if err != nil {
		return 0, err
	}
	day := cstDay(unix(tr.At))
	if _, err := p.t.exec(ctx, `INSERT INTO credit_lookups (day, querier_region, subject_region, basis, lookups) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (day, querier_region, subject_region, basis) DO UPDATE SET lookups = credit_lookups.lookups + 1`,
		day, querier, subject, tr.Basis); err != nil {
		return 0, err
	}
	// Who looked on the day at an enterprise of the region, not at which:
	// an operator is shown a day's count only when enough queriers made it
	// (OperatorCreditLookups).
	_, err = p.t.exec(ctx, `INSERT INTO credit_lookup_queriers (day, querier_region, subject_region, querier) VALUES (?, ?, ?, ?)
		ON CONFLICT (day, querier_region, subject_region, querier) DO NOTHING`, day, querier, subject, tr.QuerierID)
	return 2, err
}

func regionOf(ctx context.Context, t *tx, query string, arg string) (string, error) {
	var region sql.NullString
	err := t.queryRow(ctx, query, arg).Scan(&region)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return region.String, err
}

// Kinds of market facts: the events the published indices count, each
// recorded once, with the block and time of the transaction that made it.
const (
	factRegistration = "REGISTRATION" // an asset certified
	factListing      = "LISTING"      // a listing created (its price is the listed one)
	factSale         = "SALE"         // a trade completed (a price only when FIXED)
)

// projectMarketRules keeps the division each region of the rules counts a
// fact in that names none (model.Rules.RegionDivision), as the rules in
// force when the fact was made say: a region that joins is known from the
// block of the rules that add it on.
func projectMarketRules(ctx context.Context, p *projection, _ []string, value []byte) (int, error) {
	var r model.MarketRules
	if err := decode(value, &r); err != nil {
		return 0, err
	}
	for _, region := range r.Regions() {
		if _, err := p.t.exec(ctx, `INSERT INTO region_divisions (region, division, block) VALUES (?, ?, ?)
			ON CONFLICT (region) DO UPDATE SET division = excluded.division, block = excluded.block`,
			region, r.RegionDivision(region), p.block); err != nil {
			return 0, err
		}
	}
	return len(r.Orgs), nil
}

// factDivision is the division a fact counts in: the record's own, else
// its region's own division by the market rules projected so far, else
// (no rules read yet name the region) by the founding table, as rules that
// name no divisions mean.
func factDivision(ctx context.Context, t *tx, division, region string) (string, error) {
	if division != "" {
		return division, nil
	}
	err := t.queryRow(ctx, `SELECT division FROM region_divisions WHERE region = ?`, region).Scan(&division)
	if errors.Is(err, sql.ErrNoRows) {
		return (&model.Rules{Orgs: []model.MarketOrg{{Region: region}}}).RegionDivision(region), nil
	}
	return division, err
}

// assetDivision is the division a fact about an asset (a listing, a sale)
// counts in: the one its registration fact counted in, written once, at
// certification, which a majority of the orgs endorses. Its record's
// division is not: after a registration before chaincode interface 17.0.0
// the asset's key is under its holder's org alone, which could rewrite it
// to another division (until the asset's next change) and move every sale
// of the asset, sealed by a majority, into that division's figures. An
// asset the index has no registration of counts in its region's division,
// the fact's own region (a sale's, vouched for by its completion mark).
func assetDivision(ctx context.Context, t *tx, assetID, region string) (string, error) {
	var division string
	err := t.queryRow(ctx, `SELECT division FROM market_facts WHERE kind = ? AND ref = ?`, factRegistration, assetID).Scan(&division)
	if errors.Is(err, sql.ErrNoRows) {
		return factDivision(ctx, t, "", region)
	}
	return division, err
}

func addFact(ctx context.Context, p *projection, kind, ref, division, category string, price any) error {
	_, err := p.t.exec(ctx, `INSERT INTO market_facts (kind, ref, block, tx_id, at, division, category, price_fen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref) DO NOTHING`, kind, ref, p.block, p.txn.ID, p.at(), division, category, price)
	return err
}
