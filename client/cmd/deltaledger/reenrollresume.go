package main

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A re-enrollment keeps the new key and certificate pending in the MSP folder (client.MSPPendingDir) while the
// binding of the key on the ledger is on its way. Once the ledger binds the new key it refuses the old one, so when
// the binding's outcome is lost (the gateway or the network failed after the submit) neither key may be thrown
// away: --resume asks the ledger which key the participant's record binds, with a call signed with the pending key
// and, when that one is refused, with the current key, and installs or discards the pending one accordingly. It
// changes nothing on an answer that is not the ledger's (a failure of the network, a proxy's page): a lost answer
// says nothing of which key is bound.

// bindingRefusals are the codes of a binding the ledger definitely did not commit: the chaincode or the gateway
// refused it before ordering, or it was committed as invalid. CONFLICT is not one: the chaincode answers it to the
// binding of the key bound already, which for a new key means an earlier attempt of this binding committed.
var bindingRefusals = []string{client.CodeInvalidArgument, client.CodeForbidden, client.CodeNotFound, client.CodeUnauthenticated, client.CodeCommitFailed}

// callerRefusals are the codes of the ledger's refusal to act for a caller: an identity it does not know, a
// suspended participant, or a certificate of another key than the bound one.
var callerRefusals = []string{client.CodeForbidden, client.CodeNotFound, client.CodeUnauthenticated}

// refusedWith reports whether err is the gateway's answer with one of codes: the ledger's own answer, unlike a
// failure of the network or a proxy's page.
func refusedWith(err error, codes ...string) bool {
	var e *client.Error
	return errors.As(err, &e) && slices.Contains(codes, e.Code)
}

// pendingExists is the refusal of a re-enrollment while one is pending in the MSP folder dir.
func pendingExists(dir string) error {
	return usagef("%s keeps a re-enrollment whose binding on the ledger is not settled (%s): run 'deltaledger reenroll --resume --msp-dir %s' first",
		dir, filepath.Join(dir, client.MSPPendingDir), dir)
}

// resumeReenroll settles the re-enrollment pending in the MSP folder dir from the ledger's answer: it installs the
// pending key when the participant's record binds it, and discards it when the record binds the current key (or
// none, a record bound before keys were); otherwise it changes nothing.
func (a *app) resumeReenroll(ctx context.Context, dir string) (enrolled, error) {
	pending, err := client.ReadPendingMSP(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return enrolled{}, usagef("%s keeps no pending re-enrollment: nothing to resume", dir)
	}
	if err != nil {
		return enrolled{}, err
	}
	// A binding whose transaction is known is settled by that transaction's status: once it is committed the
	// keys tell the rest; while it may still commit, nothing is decided, as the current key is still bound.
	if txID, err := client.ReadPendingTransaction(dir); err != nil {
		return enrolled{}, err
	} else if txID != "" {
		committed, err := a.bindingCommitted(ctx, dir, txID)
		if err != nil {
			return enrolled{}, err
		}
		if committed {
			out, err := a.installPending(dir)
			if err != nil {
				return enrolled{}, err
			}
			out.KeySHA256, err = pending.KeySHA256()
			return out, err
		}
	}
	// The pending key is asked first: once it is bound, the folder's own files are not needed (an installation
	// that was interrupted may have replaced the key already).
	record, err := a.whoAmIWith(ctx, dir, filepath.Join(dir, client.MSPPendingDir))
	if err != nil && !refusedWith(err, callerRefusals...) {
		return enrolled{}, unsettled(dir, err)
	}
	if pendingKey, kerr := pending.KeySHA256(); kerr != nil {
		return enrolled{}, kerr
	} else if err == nil && record.KeySHA256 == pendingKey {
		out, err := a.installPending(dir)
		out.KeySHA256 = pendingKey
		return out, err
	}
	current, err := client.ReadMSP(dir)
	if err != nil {
		return enrolled{}, err
	}
	currentKey, err := current.KeySHA256()
	if err != nil {
		return enrolled{}, err
	}
	record, err = a.whoAmIWith(ctx, dir, dir)
	switch {
	case err != nil && !refusedWith(err, callerRefusals...):
		return enrolled{}, unsettled(dir, err)
	case err == nil && record.KeySHA256 != currentKey && record.KeySHA256 != "":
		err = errors.New("keySha256 " + record.KeySHA256)
		fallthrough
	case err != nil:
		return enrolled{}, ledgererr.Messagef("the ledger acts for neither the pending key nor the current one of %s (%v): the participant is suspended, or your org's admin bound another key "+
			"('participants rebind-key'); nothing was changed", dir, err)
	}
	if err := client.DiscardPendingMSP(dir); err != nil {
		return enrolled{}, err
	}
	a.say(notePrefix, ledgererr.Messagef("the ledger binds the current key of %s: the pending re-enrollment was discarded; run 'deltaledger reenroll' again for a new key", dir))
	out, err := enrolledOf(dir, current)
	out.KeySHA256 = record.KeySHA256
	return out, err
}

// bindingCommitted asks the commit status of txID, the transaction of the binding pending in the MSP folder dir:
// true when it is committed valid (the pending key is bound), false when it is committed invalid (it bound
// nothing) or the gateway answers no status to this member (one who signs its own calls, at a gateway before REST
// 7.1.0). A transaction not committed yet, or that the gateway does not know (yet), may still commit, and an answer
// that is not the ledger's says nothing: both are errors, and nothing is changed. The status is asked with the
// current key, the one that signed the binding: a gateway answers a member who signs its own calls the status of the
// transactions of its certificate's identity and key only.
func (a *app) bindingCommitted(ctx context.Context, dir, txID string) (bool, error) {
	c, err := a.memberWith(dir, dir)
	if err != nil {
		return false, err
	}
	st, err := c.Transactions().Status(ctx, txID)
	switch {
	case refusedWith(err, client.CodeForbidden):
		// A gateway before REST 7.1.0 answers no commit status to a member who signs its own calls: the keys alone
		// decide, as for a binding whose transaction is not known (a binding still in flight may then commit after
		// the pending key was discarded; a gateway of 7.1.0 on answers the status, and nothing is decided early).
		return false, nil
	case refusedWith(err, client.CodeNotFound):
	case err != nil:
		return false, unsettled(dir, err)
	case st.Committed:
		return st.Valid, nil
	default:
		err = ledgererr.Messagef("the gateway reports it pending")
	}
	return false, ledgererr.Messagef("transaction %s, which binds the pending key of %s, is not committed yet (%v): it may still commit; nothing was changed: "+
		"run 'deltaledger reenroll --resume --msp-dir %s' again later", txID, dir, err, dir)
}

// unsettled is the error of a resumption that could not ask the ledger: err is not the ledger's answer.
func unsettled(dir string, err error) error {
	return ledgererr.Messagef("cannot tell which key the ledger binds: %v; nothing was changed: run 'deltaledger reenroll --resume --msp-dir %s' again once your gateway answers", err, dir)
}

// installPending installs the re-enrollment pending in the MSP folder dir, whose key the ledger binds.
func (a *app) installPending(dir string) (enrolled, error) {
	installed, err := client.InstallPendingMSP(dir)
	if err != nil {
		return enrolled{}, ledgererr.Messagef("the ledger binds the new key, but installing it in %s failed: %v; run 'deltaledger reenroll --resume --msp-dir %s'", dir, err, dir)
	}
	return enrolledOf(dir, installed)
}

// whoAmIWith asks the ledger for the caller's participant record (participants:WhoAmI) in a call signed with the key
// and certificate of the MSP folder keys (dir or its pending folder), through the gateway of dir's member profile
// or the command line.
func (a *app) whoAmIWith(ctx context.Context, dir, keys string) (*model.Participant, error) {
	c, err := a.memberWith(dir, keys)
	if err != nil {
		return nil, err
	}
	return c.Participants().Me(ctx)
}

// memberWith returns the client that signs with the key and certificate of the MSP folder keys (dir or its
// pending folder), through the gateway of dir's member profile or the command line.
func (a *app) memberWith(dir, keys string) (*client.Client, error) {
	if err := a.useFolderProfile(dir); err != nil {
		return nil, err
	}
	for flag, file := range map[string]string{"client-cert": client.MSPCertFile, "key": client.MSPKeyFile} {
		if err := a.flags.Set(flag, filepath.Join(keys, file)); err != nil {
			return nil, err
		}
	}
	a.client = nil // the client of the other key, if any
	return a.connect()
}
