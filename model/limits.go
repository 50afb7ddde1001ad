package model

// Identifiers and hashes.
const (
	// IDPattern is the form of every record ID a caller chooses.
	IDPattern = `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`
	// IDRule says IDPattern in words, for messages and documents.
	IDRule = "1-64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit"
	// SHA256Pattern is a SHA-256 digest in lowercase hex.
	SHA256Pattern = `^[0-9a-f]{64}$`
	// USCCPattern is the alphabet and length of a Unified Social Credit Code
	// (GB 32100-2015); the chaincode also verifies its check character.
	USCCPattern = `^[0-9A-HJ-NP-RTUWXY]{18}$`
	// USCCAlphabet is the code's character set, in the order of the
	// characters' values: digits and capitals without I, O, S, V and Z.
	USCCAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	// RegionPattern is the form of a region's key: 2 to 20 lower-case
	// letters and digits starting with a letter ("shanghai", "suzhou"), as
	// `make add-region NAME=` takes it. Which regions exist is the market
	// rules' word (Rules.Regions), not the pattern's.
	RegionPattern = `^[a-z][a-z0-9]{1,19}$`
	// RegionRule says RegionPattern in words, for messages and documents.
	RegionRule = "a region's key: 2 to 20 lower-case letters and digits starting with a letter"
	// MarketWide stands for the whole market where a region's key could
	// (the trades' market index files every trade under it beside its
	// regions), so no region is called so: the market rules refuse it.
	MarketWide = "all"
	// SlugPattern is a lowercase slug: words of letters and digits joined by
	// single hyphens, starting with a letter ("finance", "smart-city").
	SlugPattern = `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`
	// SaltPattern is the salt of private trade terms: 32 to 128 lowercase
	// hex characters (128 to 512 bits of the client's randomness).
	SaltPattern = `^[0-9a-f]{32,128}$`
	// RoundPattern is a negotiation round number as a path segment.
	RoundPattern = `^[1-9][0-9]{0,3}$`
	// TimePattern is the form of an RFC 3339 instant, such as
	// 2027-01-31T00:00:00Z or 2027-01-31T08:00:00+08:00.
	TimePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`
)

// Money.
const (
	// MaxAmountFen bounds money inputs: 10^15 fen is ten trillion yuan, far
	// above any data trade, and keeps sums of many amounts inside int64.
	MaxAmountFen int64 = 1_000_000_000_000_000
)

// Pagination of every list function.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// MaxTradesClosedPerCall bounds the trades one trades:CloseOthers reads and
// closes: the trades its caller may read, from its bookmark on. A rival may
// place any number of orders on a listing, and one transaction closing them
// all would outgrow the peer's execution timeout and any read set; so the
// sale's other trades close in pages, which anyone who may close them
// continues with the answer's bookmark.
const MaxTradesClosedPerCall = 50

// Lengths of text fields, in characters.
const (
	MaxParticipantNameLength  = 100
	MaxSuspendReasonLength    = 500
	MaxMSPIDLength            = 64
	MaxAssetNameLength        = 200
	MaxCategoryLength         = 40
	MaxRegionLength           = 20 // RegionPattern
	MaxAssetDescriptionLength = 2000
	MaxAssetReasonLength      = 1000 // reviews, objections, revocations, transfers
	MaxScopePurposeLength     = 200
	MaxListingReasonLength    = 500
	MaxTradeReasonLength      = 500 // reasons and notes parties give
	MaxSettlementRefLength    = 200 // a bank's or an exchange's settlement reference
	MaxTermsConditionsLength  = 2000
	MaxCreditPurposeLength    = 200
	MaxCreditReasonLength     = 500
	MaxCreditGradeLength      = 16
	MaxCreditSummaryLength    = 500
	MaxCreditScore            = 1000
	MaxCertificatePEMLength   = 16384 // checked by the gateway; the chaincode parses the certificate
	MinSaltLength             = 32
	MaxSaltLength             = 128
)
