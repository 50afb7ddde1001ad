package fabric

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// Blocks implements chain.BlockReader with the peer's block event
// service (the whole blocks), signed by Reader. Each block is parsed into
// the chaincode's writes.
func (l *Ledger) Blocks(ctx context.Context, from uint64) (<-chan *chain.Block, error) {
	gw, err := l.channelReader()
	if err != nil {
		return nil, err
	}
	in, err := gw.GetNetwork(l.cfg.Channel).BlockEvents(ctx, client.WithStartBlock(from))
	if err != nil {
		return nil, classify(err, "", chain.KindUnavailable)
	}
	out := make(chan *chain.Block)
	go func() {
		defer close(out)
		defer func() {
			for range in { // let fabric-gateway's goroutine end with the stream
			}
		}()
		for b := range in {
			parsed, err := ParseBlock(b, l.cfg.Chaincode)
			if err != nil {
				// A block the peer sent that does not parse cannot parse
				// on a retry either: end the stream, the reader resumes
				// here and logs the failure.
				l.log.Error("block does not parse; the block stream ends", "block", b.GetHeader().GetNumber(), "error", err.Error())
				return
			}
			select {
			case out <- parsed:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// ParseBlock reads a block's endorser transactions: their IDs, timestamps,
// creators' MSPs, validation codes, and the writes and event of the
// chaincode named namespace. Other transactions (configuration) are left
// out; private data is not in a block, only its hashes, which are ignored.
func ParseBlock(b *common.Block, namespace string) (*chain.Block, error) {
	out := &chain.Block{Number: b.GetHeader().GetNumber()}
	var filter []byte
	if md := b.GetMetadata().GetMetadata(); len(md) > int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		filter = md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	}
	for i, data := range b.GetData().GetData() {
		tx, err := parseTransaction(data, namespace)
		if err != nil {
			return nil, fmt.Errorf("block %d, transaction %d: %w", out.Number, i, err)
		}
		if tx == nil {
			continue
		}
		tx.ValidationCode = peer.TxValidationCode_NOT_VALIDATED.String()
		if i < len(filter) {
			tx.ValidationCode = peer.TxValidationCode(filter[i]).String()
		}
		if tx.Event != nil {
			tx.Event.BlockNumber = out.Number
		}
		out.Transactions = append(out.Transactions, *tx)
	}
	return out, nil
}

// parseTransaction reads one envelope; nil for anything but an endorser
// transaction.
func parseTransaction(data []byte, namespace string) (*chain.Transaction, error) {
	var env common.Envelope
	if err := proto.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	var ch common.ChannelHeader
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &ch); err != nil {
		return nil, fmt.Errorf("channel header: %w", err)
	}
	if common.HeaderType(ch.GetType()) != common.HeaderType_ENDORSER_TRANSACTION {
		return nil, nil
	}
	tx := &chain.Transaction{ID: ch.GetTxId(), Timestamp: ch.GetTimestamp().AsTime().UTC()}
	var sh common.SignatureHeader
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), &sh); err != nil {
		return nil, fmt.Errorf("signature header: %w", err)
	}
	var creator msp.SerializedIdentity
	if err := proto.Unmarshal(sh.GetCreator(), &creator); err != nil {
		return nil, fmt.Errorf("creator: %w", err)
	}
	tx.CreatorMSP, tx.Creator = creator.GetMspid(), creator.GetIdBytes()

	var body peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &body); err != nil {
		return nil, fmt.Errorf("transaction: %w", err)
	}
	tx.OtherChaincode = true
	for _, action := range body.GetActions() {
		var cap peer.ChaincodeActionPayload
		if err := proto.Unmarshal(action.GetPayload(), &cap); err != nil {
			return nil, fmt.Errorf("chaincode action payload: %w", err)
		}
		var prp peer.ProposalResponsePayload
		if err := proto.Unmarshal(cap.GetAction().GetProposalResponsePayload(), &prp); err != nil {
			return nil, fmt.Errorf("proposal response payload: %w", err)
		}
		var cc peer.ChaincodeAction
		if err := proto.Unmarshal(prp.GetExtension(), &cc); err != nil {
			return nil, fmt.Errorf("chaincode action: %w", err)
		}
		if cc.GetChaincodeId().GetName() == namespace {
			tx.OtherChaincode = false
		}
		if err := addWrites(tx, cc.GetResults(), namespace); err != nil {
			return nil, err
		}
		if len(cc.GetEvents()) > 0 {
			var ev peer.ChaincodeEvent
			if err := proto.Unmarshal(cc.GetEvents(), &ev); err != nil {
				return nil, fmt.Errorf("chaincode event: %w", err)
			}
			if ev.GetChaincodeId() == namespace && ev.GetEventName() != "" {
				tx.Event = &chain.Event{TransactionID: tx.ID, Name: ev.GetEventName(), Payload: ev.GetPayload()}
			}
		}
	}
	return tx, nil
}

// addWrites appends the public writes of the namespace in a read-write set.
func addWrites(tx *chain.Transaction, results []byte, namespace string) error {
	var set rwset.TxReadWriteSet
	if err := proto.Unmarshal(results, &set); err != nil {
		return fmt.Errorf("read-write set: %w", err)
	}
	for _, ns := range set.GetNsRwset() {
		if ns.GetNamespace() != namespace {
			continue
		}
		var kv kvrwset.KVRWSet
		if err := proto.Unmarshal(ns.GetRwset(), &kv); err != nil {
			return fmt.Errorf("writes of %s: %w", namespace, err)
		}
		for _, w := range kv.GetWrites() {
			write := chain.Write{Key: w.GetKey(), Delete: w.GetIsDelete()}
			if !write.Delete {
				write.Value = w.GetValue()
			}
			tx.Writes = append(tx.Writes, write)
		}
	}
	return nil
}

var _ chain.BlockReader = (*Ledger)(nil)
