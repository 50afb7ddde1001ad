package channelmsp

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Groups of the channel configuration that define orgs. An org of both (an org with a peer and an orderer, as in
// this network) has one MSP definition in each, and Fabric requires the two to be equal: an update sets both.
var orgGroups = []string{"Application", "Orderer"}

// mspValue is the key of an org group's MSP definition.
const mspValue = "MSP"

// adminsPolicy is the modification policy configtxgen gives an org's MSP value: the org's own Admins, relative to
// the org's group. An update keeps the value's policy, so it must be this one: a weaker one would let others
// replace the org's MSP after it.
const adminsPolicy = "Admins"

// ErrStale refuses a CRL older than the one the channel holds for the same CA.
var ErrStale = errors.New("the channel holds a newer CRL of that CA")

// ParseCRL reads a CRL, PEM or DER.
func ParseCRL(crl []byte) (*x509.RevocationList, error) {
	if block, _ := pem.Decode(crl); block != nil {
		crl = block.Bytes
	}
	list, err := x509.ParseRevocationList(crl)
	if err != nil {
		return nil, fmt.Errorf("the CRL cannot be parsed: %w", err)
	}
	return list, nil
}

// Update computes the configuration update that puts crl into the MSP definition of own.MSPID in config, replacing
// a CRL of the same CA (an issuer's newer CRL lists everything its older ones did) and keeping the CRLs of other
// CAs. It returns nil when the channel already holds a CRL of that CA that lists every certificate crl lists. crl
// must be signed by one of the MSP's root or intermediate CAs, and must not be older than the CRL the channel holds
// for that CA (ErrStale).
//
// The update writes the MSP definition whole, as config has it, so config is only taken at its word where the
// admin's own folder agrees (Own): a definition that trusts anything else, an MSP value whose modification policy
// is not the org's own Admins, or an MSP ID defined by more than one org of a section is refused, and the update
// changes nothing but the CRLs.
//
// Only the MSP values change, so only their modification policy counts: the org's own Admins (configtxgen's
// default), that is, the org's admin alone signs the update.
func Update(channel string, config *common.Config, own *Own, crl []byte) (*common.ConfigUpdate, error) {
	mspID := own.MSPID
	list, err := ParseCRL(crl)
	if err != nil {
		return nil, err
	}
	pemCRL := pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: list.Raw})
	root := config.GetChannelGroup()
	read := &common.ConfigGroup{Version: root.GetVersion(), Groups: map[string]*common.ConfigGroup{}}
	write := &common.ConfigGroup{Version: root.GetVersion(), Groups: map[string]*common.ConfigGroup{}}
	var newValue []byte // the same bytes in every group (Fabric compares the definitions)
	found := false
	defined := map[string]bool{} // the sections that define mspID
	for _, groupName := range orgGroups {
		group, ok := root.GetGroups()[groupName]
		if !ok {
			continue
		}
		for orgName, org := range group.GetGroups() {
			value, ok := org.GetValues()[mspValue]
			if !ok {
				continue
			}
			var mspConfig msp.MSPConfig
			if err := proto.Unmarshal(value.GetValue(), &mspConfig); err != nil {
				return nil, fmt.Errorf("decoding the MSP of %s/%s: %w", groupName, orgName, err)
			}
			var fabric msp.FabricMSPConfig
			if err := proto.Unmarshal(mspConfig.GetConfig(), &fabric); err != nil {
				return nil, fmt.Errorf("decoding the Fabric MSP of %s/%s: %w", groupName, orgName, err)
			}
			if fabric.GetName() != mspID {
				continue
			}
			if defined[groupName] {
				return nil, fmt.Errorf("the %s section of channel %s defines MSP ID %s more than once", groupName, channel, mspID)
			}
			defined[groupName] = true
			if value.GetModPolicy() != adminsPolicy {
				return nil, fmt.Errorf("the MSP value of %s/%s is modified under policy %q, not the org's own %s", groupName, orgName, value.GetModPolicy(), adminsPolicy)
			}
			if err := own.check(&mspConfig, &fabric); err != nil {
				return nil, err
			}
			found = true
			if err := signedByMSP(list, &fabric); err != nil {
				return nil, err
			}
			revocations, err := replaceCRL(fabric.GetRevocationList(), list, pemCRL)
			if err != nil {
				return nil, err
			}
			if revocations == nil {
				continue // this group already holds the CRL
			}
			if newValue == nil {
				fabric.RevocationList = revocations
				inner, err := proto.Marshal(&fabric)
				if err != nil {
					return nil, err
				}
				mspConfig.Config = inner
				if newValue, err = proto.Marshal(&mspConfig); err != nil {
					return nil, err
				}
			}
			if _, ok := read.Groups[groupName]; !ok {
				read.Groups[groupName] = &common.ConfigGroup{Version: group.GetVersion(), Groups: map[string]*common.ConfigGroup{}}
				write.Groups[groupName] = &common.ConfigGroup{Version: group.GetVersion(), Groups: map[string]*common.ConfigGroup{}}
			}
			read.Groups[groupName].Groups[orgName] = &common.ConfigGroup{Version: org.GetVersion()}
			write.Groups[groupName].Groups[orgName] = &common.ConfigGroup{Version: org.GetVersion(), Values: map[string]*common.ConfigValue{
				mspValue: {Version: value.GetVersion() + 1, ModPolicy: value.GetModPolicy(), Value: newValue},
			}}
		}
	}
	if !found {
		return nil, fmt.Errorf("channel %s defines no org with MSP ID %s", channel, mspID)
	}
	if len(write.Groups) == 0 {
		return nil, nil
	}
	return &common.ConfigUpdate{ChannelId: channel, ReadSet: read, WriteSet: write}, nil
}

// signedByMSP checks that one of the MSP's CAs signed the CRL: a CRL of any other issuer would be ignored by the
// MSP, and publishing it would only say something untrue.
func signedByMSP(list *x509.RevocationList, fabric *msp.FabricMSPConfig) error {
	for _, certPEM := range slices.Concat(fabric.GetRootCerts(), fabric.GetIntermediateCerts()) {
		ca, err := fabricca.ParseCertificate(certPEM)
		if err == nil && list.CheckSignatureFrom(ca) == nil {
			return nil
		}
	}
	return fmt.Errorf("the CRL is not signed by a CA of %s", fabric.GetName())
}

// replaceCRL returns the MSP's revocation list with list in place of the CRLs of the same issuer, or nil when a CRL
// held of that issuer lists every certificate list does (a CA issues a new CRL at every request, and revocations
// are permanent, so a CRL that revokes nothing more changes nothing the peers decide).
func replaceCRL(held [][]byte, list *x509.RevocationList, pemCRL []byte) ([][]byte, error) {
	out := [][]byte{}
	for _, raw := range held {
		old, err := ParseCRL(raw)
		if err != nil || !bytes.Equal(old.RawIssuer, list.RawIssuer) {
			out = append(out, raw) // another CA's CRL stays as it is
			continue
		}
		if listsAll(old, list) {
			return nil, nil
		}
		if older(list, old) {
			return nil, fmt.Errorf("%w (CRL number %v of %s, offered %v of %s)", ErrStale, old.Number, old.ThisUpdate.UTC().Format("2006-01-02T15:04:05Z"),
				list.Number, list.ThisUpdate.UTC().Format("2006-01-02T15:04:05Z"))
		}
	}
	return append(out, pemCRL), nil
}

// older reports whether CRL a was issued before b: by CRL number when both have one, else by issue time.
func older(a, b *x509.RevocationList) bool {
	if a.Number != nil && b.Number != nil && a.Number.Sign() > 0 && b.Number.Sign() > 0 {
		return a.Number.Cmp(b.Number) < 0
	}
	return a.ThisUpdate.Before(b.ThisUpdate)
}

// listsAll reports whether CRL a lists every serial number CRL b lists.
func listsAll(a, b *x509.RevocationList) bool {
	serials := make(map[string]bool, len(a.RevokedCertificateEntries))
	for _, e := range a.RevokedCertificateEntries {
		serials[e.SerialNumber.String()] = true
	}
	for _, e := range b.RevokedCertificateEntries {
		if !serials[e.SerialNumber.String()] {
			return false
		}
	}
	return true
}
