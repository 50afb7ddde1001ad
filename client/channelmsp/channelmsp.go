// Package channelmsp lets an org's admin publish its Fabric CA's certificate revocation list (CRL) in the org's MSP
// definition of a channel's configuration, so that every peer and orderer of the channel refuses the revoked
// certificates: a member cut off at the CA and the gateway cannot go around them with a Fabric client of its own.
//
// The peers and orderers validate identities against the MSPs of the channel configuration, not against the CA, so
// a revocation reaches them only through a channel configuration update. The update changes the org's MSP value
// alone, whose modification policy is the org's own Admins: the org's admin signs it, no other org has a say
// (a CRL only takes the org's own certificates away). The admin's key signs here, never at a gateway: an
// identity that can change the org's MSP can also add a CA to it, so it stays with the admin.
//
//	own, err := channelmsp.ReadOwn(adminMSPDir, "JiangsuMSP", tlsCAPEM)
//	p := channelmsp.New(peerConn, ordererConn, "deltaledger", own, adminCertPEM, adminKey)
//	published, err := p.PublishCRL(ctx, crlPEM)
//
// PublishCRL reads the configuration through the org's own peer, computes the update (Update), which writes the
// org's MSP definition as the peer gave it and so is made only when that definition trusts exactly what the
// admin's own MSP folder does (Own), signs it as the admin, sends it to an orderer and waits until the peer has
// committed the configuration block that holds the CRL: from then on that peer refuses the revoked certificates (a config block rebuilds the channel's MSPs, and their
// caches with them). The other orgs' peers follow as they commit the same block.
package channelmsp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	deltaledger "github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// pollInterval is how often PublishCRL asks the peer whether it has committed the update.
const pollInterval = 200 * time.Millisecond

// Publisher publishes CRLs in the channel as one org's admin. Safe for concurrent use; publishing twice at once
// makes the second update fail on the configuration's version (call again).
type Publisher struct {
	peer, orderer *grpc.ClientConn
	channel       string
	mspID         string
	own           *Own
	certPEM       []byte
	key           deltaledger.Signer
}

// New returns a Publisher that reads the configuration of channel through peer (a peer of the admin's org),
// sends updates to orderer (any orderer of the channel), and signs as the admin of own.MSPID whose MSP folder own
// was read from (ReadOwn), whose certificate is certPEM and whose key is key.
func New(peer, orderer *grpc.ClientConn, channel string, own *Own, certPEM []byte, key deltaledger.Signer) *Publisher {
	return &Publisher{peer: peer, orderer: orderer, channel: channel, mspID: own.MSPID, own: own, certPEM: certPEM, key: key}
}

// Publication says what PublishCRL did.
type Publication struct {
	// Channel and MSPID name the MSP definition that holds the CRL.
	Channel string `json:"channel"`
	MSPID   string `json:"mspId"`
	// Revoked is the number of certificates the CRL lists.
	Revoked int `json:"revoked"`
	// Updated is false when the channel held this CRL already (nothing was sent).
	Updated bool `json:"updated"`
	// Sequence is the channel configuration's sequence number that holds the CRL, as the peer has committed it.
	Sequence uint64 `json:"sequence"`
}

// PublishCRL puts crl (PEM or DER, signed by the org's CA) into the org's MSP definition of the channel and waits
// until the admin's peer has committed it (see the package documentation).
func (p *Publisher) PublishCRL(ctx context.Context, crl []byte) (*Publication, error) {
	list, err := ParseCRL(crl)
	if err != nil {
		return nil, err
	}
	out := &Publication{Channel: p.channel, MSPID: p.mspID, Revoked: len(list.RevokedCertificateEntries)}
	gw, err := client.Connect(adminIdentity{p.mspID, p.certPEM}, client.WithSign(p.sign), client.WithClientConnection(p.peer))
	if err != nil {
		return nil, err
	}
	defer gw.Close()
	config, err := ReadConfig(ctx, gw, p.channel, p.mspID)
	if err != nil {
		return nil, err
	}
	update, err := Update(p.channel, config, p.own, crl)
	if err != nil {
		return nil, err
	}
	if update == nil {
		out.Sequence = config.GetSequence()
		return out, nil
	}
	envelope, err := p.envelope(update)
	if err != nil {
		return nil, err
	}
	if err := p.broadcast(ctx, envelope); err != nil {
		return nil, err
	}
	out.Updated = true
	for {
		config, err := ReadConfig(ctx, gw, p.channel, p.mspID)
		if err != nil {
			return nil, err
		}
		if again, err := Update(p.channel, config, p.own, crl); err == nil && again == nil {
			out.Sequence = config.GetSequence()
			return out, nil
		} else if err != nil && !errors.Is(err, ErrStale) {
			return nil, err
		} else if err != nil {
			// Somebody published a newer CRL meanwhile: it lists everything this one does.
			out.Sequence = config.GetSequence()
			return out, nil
		}
		select {
		case <-ctx.Done():
			return nil, ledgererr.Messagef("the update was sent; waiting for %s's peer to commit it: %v", p.mspID, ctx.Err())
		case <-time.After(pollInterval):
		}
	}
}

// adminIdentity is the admin as a fabric-gateway identity: MSP ID and certificate (PEM).
type adminIdentity struct {
	mspID   string
	certPEM []byte
}

func (a adminIdentity) MspID() string       { return a.mspID }
func (a adminIdentity) Credentials() []byte { return a.certPEM }

// sign signs a SHA-256 digest with the admin's key (low-S DER, as Fabric requires).
func (p *Publisher) sign(digest []byte) ([]byte, error) { return deltaledger.SignDigest(p.key, digest) }

// ReadConfig reads a channel's configuration as the peer of the org mspID has committed it (cscc
// GetChannelConfig), through gw, whose identity must be one that org's peer lets read it (an admin of the org).
// The publisher reads its org's own copy this way, and so does the network's deployment (network/marketrules),
// which checks every org's copy.
func ReadConfig(ctx context.Context, gw *client.Gateway, channel, mspID string) (*common.Config, error) {
	proposal, err := gw.GetNetwork(channel).GetContract("cscc").NewProposal("GetChannelConfig",
		client.WithArguments(channel), client.WithEndorsingOrganizations(mspID))
	if err != nil {
		return nil, err
	}
	raw, err := proposal.EvaluateWithContext(ctx)
	if err != nil {
		return nil, ledgererr.Messagef("reading the configuration of channel %s from %s's peer: %v", channel, mspID, rpcError(err))
	}
	var config common.Config
	if err := proto.Unmarshal(raw, &config); err != nil {
		return nil, ledgererr.Messagef("the configuration of channel %s cannot be read", channel)
	}
	return &config, nil
}

// envelope signs update as the admin (the update's signature, which the modification policy counts) and wraps it
// in a CONFIG_UPDATE transaction signed by the admin too.
func (p *Publisher) envelope(update *common.ConfigUpdate) (*common.Envelope, error) {
	updateBytes, err := proto.Marshal(update)
	if err != nil {
		return nil, err
	}
	sigHeader, txID, err := p.signatureHeader()
	if err != nil {
		return nil, err
	}
	signature, err := p.signBytes(sigHeader, updateBytes)
	if err != nil {
		return nil, err
	}
	data, err := proto.Marshal(&common.ConfigUpdateEnvelope{ConfigUpdate: updateBytes,
		Signatures: []*common.ConfigSignature{{SignatureHeader: sigHeader, Signature: signature}}})
	if err != nil {
		return nil, err
	}
	envelopeHeader, _, err := p.signatureHeader()
	if err != nil {
		return nil, err
	}
	channelHeader, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG_UPDATE),
		ChannelId: p.channel, TxId: txID, Timestamp: timestamppb.Now()})
	if err != nil {
		return nil, err
	}
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: channelHeader, SignatureHeader: envelopeHeader}, Data: data})
	if err != nil {
		return nil, err
	}
	signature, err = p.signBytes(payload)
	if err != nil {
		return nil, err
	}
	return &common.Envelope{Payload: payload, Signature: signature}, nil
}

// signatureHeader is a signature header of the admin with a fresh nonce, and the transaction ID Fabric derives
// from it.
func (p *Publisher) signatureHeader() ([]byte, string, error) {
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: p.mspID, IdBytes: p.certPEM})
	if err != nil {
		return nil, "", err
	}
	nonce := make([]byte, 24)
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", err
	}
	header, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: nonce})
	if err != nil {
		return nil, "", err
	}
	id := sha256.Sum256(append(bytes.Clone(nonce), creator...))
	return header, hex.EncodeToString(id[:]), nil
}

// signBytes signs the concatenation of parts.
func (p *Publisher) signBytes(parts ...[]byte) ([]byte, error) {
	digest := sha256.Sum256(bytes.Join(parts, nil))
	return p.sign(digest[:])
}

// broadcast sends envelope to the orderer and waits for its answer.
func (p *Publisher) broadcast(ctx context.Context, envelope *common.Envelope) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := orderer.NewAtomicBroadcastClient(p.orderer).Broadcast(ctx)
	if err != nil {
		return ledgererr.Messagef("connecting to the orderer: %v", rpcError(err))
	}
	if err := stream.Send(envelope); err != nil {
		return ledgererr.Messagef("sending the configuration update to the orderer: %v", rpcError(err))
	}
	answer, err := stream.Recv()
	if err != nil {
		return ledgererr.Messagef("the orderer did not answer the configuration update: %v", rpcError(err))
	}
	_ = stream.CloseSend()
	if answer.GetStatus() != common.Status_SUCCESS {
		return ledgererr.Messagef("the orderer refused the configuration update: %s: %s", answer.GetStatus().String(), answer.GetInfo())
	}
	return nil
}

var _ identity.Identity = adminIdentity{}
