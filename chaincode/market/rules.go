// Package market keeps the market rules (model.Rules): the facts the four
// regions agree on and that only a majority of their orgs may change. They say which org (MSP
// ID) is the exchange of which region, which certificate authorities issue
// each org's members (root and intermediate certificates, as in the channel's
// MSP definitions), which participants are regulators, and how long the
// public notice of an asset registration lasts.
//
// The rules are set once, by the deployment (Init), and changed only by a
// majority of the orgs they name: each org's admin approves the exact new
// rules (Approve), then anyone of them applies them (Apply). Every record
// the rules are kept in carries a key-level endorsement policy of a majority
// of those orgs, and each org's approval a policy of that org alone, so that
// no minority of orgs can write either, even with modified chaincode.
//
// Why the chaincode keeps the CA certificates itself: a chaincode cannot read
// the channel configuration. The peer's configuration system chaincode (cscc)
// and query system chaincode (qscc) refuse calls from another chaincode
// ("Rejecting invoke of CSCC from another chaincode", core/scc/cscc in Fabric
// v3), and the chaincode process has no other view of the channel. So the
// deployment copies the channel's MSP root and intermediate certificates into
// the rules (see network/marketrules), and the majority keeps them in step
// with the channel.
package market

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"slices"
	"strconv"
	"strings"

	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Parse reads and checks a rules document given as JSON in the argument
// named field: unknown fields are refused; every org names a region of its
// own and at least one root certificate; its division prefixes are of the
// table, and no prefix is held by two regions; certificates are PEM CA
// certificates, and no two orgs list a CA of one key; regulators belong to
// named orgs. A refusal names the field at the position the caller sent it
// in; only then are the rules put in canonical order (Hash), with
// certificates re-encoded as PEM, and returned.
func Parse(field, raw string) (*model.Rules, error) {
	if len(raw) > model.MaxRulesBytes {
		return nil, ledgererr.Invalid(field, "must be at most %d bytes of JSON", model.MaxRulesBytes)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var r model.Rules
	if err := dec.Decode(&r); err != nil {
		return nil, ledgererr.Invalid(field, "must be a JSON object {version, noticePeriodSeconds, orgs, regulators}: %v", err)
	}
	if dec.More() {
		return nil, ledgererr.Invalid(field, "must hold exactly one JSON object")
	}
	if r.Version < 1 {
		return nil, ledgererr.Invalid(field+".version", "must be 1 or more")
	}
	if r.NoticePeriodSeconds < model.MinNoticePeriodSeconds || r.NoticePeriodSeconds > model.MaxNoticePeriodSeconds {
		return nil, ledgererr.Invalid(field+".noticePeriodSeconds", "must be %d to %d seconds", model.MinNoticePeriodSeconds, model.MaxNoticePeriodSeconds)
	}
	if len(r.Orgs) == 0 || len(r.Orgs) > model.MaxRulesOrgs {
		return nil, ledgererr.Invalid(field+".orgs", "must name 1 to %d orgs", model.MaxRulesOrgs)
	}
	// Every field is checked, and named in a refusal, at the position the caller sent it in; the orgs and
	// regulators are put in canonical order (Hash) only once all are checked.
	regions, msps := map[string]string{}, map[string]bool{}
	for i := range r.Orgs {
		o := &r.Orgs[i]
		at := field + ".orgs[" + strconv.Itoa(i) + "]"
		if err := validate.Text(at+".mspId", o.MSPID, model.MaxMSPIDLength); err != nil {
			return nil, err
		}
		if msps[o.MSPID] {
			return nil, ledgererr.Invalid(at+".mspId", "names %s twice", o.MSPID)
		}
		msps[o.MSPID] = true
		if err := validate.Region(at+".region", o.Region); err != nil {
			return nil, err
		}
		if o.Region == model.MarketWide {
			return nil, ledgererr.Invalid(at+".region", "must not be %q, which stands for the whole market", model.MarketWide)
		}
		if other, taken := regions[o.Region]; taken {
			return nil, ledgererr.Invalid(at+".region", "%q is already the region of %s: one org per region", o.Region, other)
		}
		regions[o.Region] = o.MSPID
		if err := parseDivisions(at+".divisions", o); err != nil {
			return nil, err
		}
		if len(o.RootCerts) == 0 {
			return nil, ledgererr.Invalid(at+".rootCerts", "must hold at least one root CA certificate of %s", o.MSPID)
		}
		if len(o.RootCerts)+len(o.IntermediateCerts) > model.MaxCertsPerOrg {
			return nil, ledgererr.Invalid(at, "must hold at most %d certificates", model.MaxCertsPerOrg)
		}
		var err error
		if o.RootCerts, err = parseCACerts(at+".rootCerts", o.RootCerts); err != nil {
			return nil, err
		}
		if o.IntermediateCerts == nil {
			o.IntermediateCerts = []string{}
		}
		if o.IntermediateCerts, err = parseCACerts(at+".intermediateCerts", o.IntermediateCerts); err != nil {
			return nil, err
		}
	}
	if err := divisionsHeldOnce(field, &r); err != nil {
		return nil, err
	}
	if err := caKeysHeldOnce(field, &r); err != nil {
		return nil, err
	}
	if len(r.Regulators) > model.MaxRegulators {
		return nil, ledgererr.Invalid(field+".regulators", "must name at most %d regulators", model.MaxRegulators)
	}
	if r.Regulators == nil {
		r.Regulators = []model.Regulator{}
	}
	named := map[model.Regulator]bool{}
	for i, g := range r.Regulators {
		at := field + ".regulators[" + strconv.Itoa(i) + "]"
		if _, ok := r.Org(g.MSPID); !ok {
			return nil, ledgererr.Invalid(at+".mspId", "%q is not one of the orgs", g.MSPID)
		}
		if err := validate.ID(at+".participantId", g.ParticipantID); err != nil {
			return nil, err
		}
		if named[g] {
			return nil, ledgererr.Invalid(at, "names %s of %s twice", g.ParticipantID, g.MSPID)
		}
		named[g] = true
	}
	if err := parseReleased(field+".released", r.Released); err != nil {
		return nil, err
	}
	slices.SortFunc(r.Orgs, func(a, b model.MarketOrg) int { return strings.Compare(a.MSPID, b.MSPID) })
	slices.SortFunc(r.Released, func(a, b model.ReleasedEnterprise) int {
		return strings.Compare(a.USCC+"\x00"+a.MSPID, b.USCC+"\x00"+b.MSPID)
	})
	slices.SortFunc(r.Regulators, func(a, b model.Regulator) int {
		return strings.Compare(a.MSPID+"\x00"+a.ParticipantID, b.MSPID+"\x00"+b.ParticipantID)
	})
	return &r, nil
}

// parseReleased checks the enterprises the rules release from an org (model.Rules.Released): each a USCC and an
// MSP ID, each pair once. The org need not be named: a release outlives the org's removal, so that the org named
// again does not hold the enterprise again.
func parseReleased(field string, released []model.ReleasedEnterprise) error {
	if len(released) > model.MaxReleasedEnterprises {
		return ledgererr.Invalid(field, "must name at most %d enterprises", model.MaxReleasedEnterprises)
	}
	named := map[model.ReleasedEnterprise]bool{}
	for i, e := range released {
		at := field + "[" + strconv.Itoa(i) + "]"
		if err := validate.USCC(at+".uscc", e.USCC); err != nil {
			return err
		}
		if err := validate.Text(at+".mspId", e.MSPID, model.MaxMSPIDLength); err != nil {
			return err
		}
		if named[e] {
			return ledgererr.Invalid(at, "names %s of %s twice", e.USCC, e.MSPID)
		}
		named[e] = true
	}
	return nil
}

// parseCACerts checks PEM CA certificates and re-encodes each as one PEM
// block, so that equal certificates are stored equally.
func parseCACerts(field string, pems []string) ([]string, error) {
	out := make([]string, len(pems))
	for i, p := range pems {
		at := field + "[" + strconv.Itoa(i) + "]"
		block, rest := pem.Decode([]byte(p))
		if block == nil || block.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) > 0 {
			return nil, ledgererr.Invalid(at, "must be one PEM-encoded CERTIFICATE block")
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, ledgererr.Invalid(at, "is not a valid X.509 certificate: %v", err)
		}
		if !cert.IsCA {
			return nil, ledgererr.Invalid(at, "is not a CA certificate (%s)", cert.Subject)
		}
		out[i] = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: block.Bytes}))
	}
	return out, nil
}

// parseDivisions checks an org's division prefixes
// (model.DivisionPrefixRule) and sorts them.
func parseDivisions(field string, o *model.MarketOrg) error {
	if len(o.Divisions) > model.MaxDivisionsPerOrg {
		return ledgererr.Invalid(field, "must name at most %d division prefixes", model.MaxDivisionsPerOrg)
	}
	slices.Sort(o.Divisions)
	for i, p := range o.Divisions {
		if err := model.CheckDivisionPrefix(p); err != nil {
			return ledgererr.Invalid(field+"["+strconv.Itoa(i)+"]", "%v", err)
		}
	}
	return nil
}

// divisionsHeldOnce refuses rules in which two regions hold one division
// prefix (model.Rules.HeldTwice), naming the org that claims it.
func divisionsHeldOnce(field string, r *model.Rules) error {
	if i, p, other := r.HeldTwice(); i >= 0 {
		return ledgererr.Invalid(field+".orgs["+strconv.Itoa(i)+"].divisions", "%s is already a division prefix of %s: a division belongs to one region", p, other)
	}
	return nil
}

// caKeysHeldOnce refuses rules in which an org lists a CA certificate whose
// key a CA certificate of another org has: that CA's certificates would
// chain to both orgs' lists, so an org would register (participants:Register
// checks Issued by its own list) and act as members the other org's CA
// issued, whatever subject or issuer the certificate it lists names. The
// key, not the certificate, since a CA renewed or cross-signed over the same
// key issues alike. An org listing one certificate twice is its own affair.
func caKeysHeldOnce(field string, r *model.Rules) error {
	holder := map[string]string{} // a CA's public key (DER) -> the org listing it
	for i := range r.Orgs {
		o := &r.Orgs[i]
		for _, list := range []struct {
			name  string
			certs []string
		}{{"rootCerts", o.RootCerts}, {"intermediateCerts", o.IntermediateCerts}} {
			for j, p := range list.certs {
				key := string(mustParse(p).RawSubjectPublicKeyInfo)
				if other, taken := holder[key]; taken && other != o.MSPID {
					return ledgererr.Invalid(field+".orgs["+strconv.Itoa(i)+"]."+list.name+"["+strconv.Itoa(j)+"]",
						"has the key of a CA certificate of %s: an org lists only its own CAs", other)
				}
				holder[key] = o.MSPID
			}
		}
	}
	return nil
}
