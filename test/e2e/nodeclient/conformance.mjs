// A foreign client of the DeltaLedger chaincode: what another organisation's
// developer writes with the official Node.js Fabric client
// (@hyperledger/fabric-gateway) and nothing of DeltaLedger's own code. It
// trades (at a fixed price across regions, by negotiation inside one region
// and across regions), looks up a credit record and reads the chaincode
// events from block 0 with a checkpoint as an org's admin (a member is refused
// blocks and events), computing every hash it relies on itself, as
// docs/integration.md describes, and fails on the first thing that does not
// hold.
//
//   DELTALEDGER_FOREIGN_CONFIG=config.json node conformance.mjs
//
// The configuration names the channel, the chaincode, a prefix that makes this
// run's record IDs unique, and for each org its MSP ID, its peer's endpoint and
// TLS CA certificate, and the certificate and key files of its members by
// role and of its admin ("admin"). The last line of output is "RESULT
// <json>": what was done, for the test that runs this program to check on the
// ledger itself.
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as grpc from '@grpc/grpc-js';
import { checkpointers, connect, hash, signers } from '@hyperledger/fabric-gateway';
import protos from '@hyperledger/fabric-protos';
import canonicalize from 'canonicalize';

const config = JSON.parse(await readFile(process.env.DELTALEDGER_FOREIGN_CONFIG, 'utf8'));
const run = config.run;
const utf8 = new TextDecoder();
const clients = new Map(); // one gRPC connection per org's peer
const members = [];
const witnesses = new Map(); // org -> the first member connected through its peer
let contractMetadata; // what GetMetadata answers, once read
let checks = 0;

// --- What any client needs: hashes, errors, submits with commit status -----

/** sha256Hex is the hex SHA-256 of a string's UTF-8 bytes or of bytes. */
function sha256Hex(data) {
    return createHash('sha256').update(data).digest('hex');
}

/**
 * recordBytes is the form in which the ledger stores and hashes a private
 * record (an offer's terms, a credit record's contents): its RFC 8785 (JCS)
 * canonical JSON, here from the npm package canonicalize, an implementation
 * independent of the chaincode's.
 */
function recordBytes(record) {
    return canonicalize(record);
}

/** recordHash is the SHA-256 of a private record's stored form. */
function recordHash(record) {
    return sha256Hex(recordBytes(record));
}

/**
 * declared checks a call against the contract metadata, once it is read: the
 * function is described, tagged for the way it is called (submit or
 * evaluate), takes as many arguments as given, and reads the transient keys
 * sent.
 */
function declared(fn, args, kind, transient) {
    if (contractMetadata === undefined) {
        return;
    }
    const [contract, name] = fn.includes(':') ? fn.split(':') : [defaultContract(), fn];
    const tx = contractMetadata.contracts[contract]?.transactions.find((t) => t.name === name);
    check(tx !== undefined, `${fn} is described by the contract metadata`);
    check(tx.tag.includes(kind), `${fn} is tagged ${kind} in the contract metadata (tags ${tx.tag})`);
    checkEqual(args.length, (tx.parameters ?? []).length, `the number of arguments of ${fn} in the contract metadata`);
    for (const key of Object.keys(transient ?? {})) {
        check((tx.transient ?? []).some((p) => p.name === key), `${fn} declares the transient input ${key}`);
    }
}

function defaultContract() {
    return Object.values(contractMetadata.contracts).find((c) => c.default).name;
}

/**
 * checkMetadata reads what a client generator needs from the contract
 * metadata: the interface version, parameters under their real names in the
 * chaincode's order with a description and a schema, transient inputs, and
 * $refs that resolve within the document.
 */
function checkMetadata(metadata) {
    check(/^\d+\.\d+\.\d+$/.test(metadata.info.version), `a semantic interface version (${metadata.info.version})`);
    const names = (tx, kind) => (tx[kind] ?? []).map((p) => p.name).join(',');
    const order = metadata.contracts.trades.transactions.find((t) => t.name === 'Order');
    checkEqual(names(order, 'parameters'), 'tradeId,listingId', 'the parameters of trades:Order');
    checkEqual(names(order, 'transient'), '', 'the transient inputs of trades:Order (terms are staged first)');
    const stage = metadata.contracts.trades.transactions.find((t) => t.name === 'StageTerms');
    checkEqual(names(stage, 'parameters'), 'tradeId,round,listingId', 'the parameters of trades:StageTerms');
    checkEqual(names(stage, 'transient'), 'terms', 'the transient inputs of trades:StageTerms');
    const payment = metadata.contracts.trades.transactions.find((t) => t.name === 'RecordPayment');
    checkEqual(names(payment, 'parameters'), 'tradeId,settlementRef', 'the parameters of trades:RecordPayment');
    checkEqual(names(payment, 'transient'), 'amountFen', 'the transient inputs of trades:RecordPayment');
    for (const [contract, c] of Object.entries(metadata.contracts)) {
        for (const tx of c.transactions) {
            for (const p of [...(tx.parameters ?? []), ...(tx.transient ?? [])]) {
                check(!/^param\d+$/.test(p.name) && p.description && p.schema, `${contract}:${tx.name} ${p.name} is named, described and typed`);
            }
        }
    }
    const refs = JSON.stringify(metadata).match(/"\$ref":"[^"]*"/g) ?? [];
    check(refs.length > 0, 'the metadata references record schemas');
    for (const ref of new Set(refs)) {
        const name = /^"\$ref":"#\/components\/schemas\/([^"]+)"$/.exec(ref)?.[1];
        check(name !== undefined && name in metadata.components.schemas, `${ref} resolves within the metadata`);
    }
}

/** amount is the transient data of trades:RecordPayment: the amount paid, in fen, as decimal text. */
function amount(fen) {
    return { amountFen: Buffer.from(fen) };
}

/** check counts a condition that must hold and stops the run when it does not. */
function check(ok, what) {
    if (!ok) {
        throw new Error(`conformance check failed: ${what}`);
    }
    checks++;
}

/** checkEqual checks got === want, naming both when they differ. */
function checkEqual(got, want, what) {
    const show = (v) => (typeof v === 'bigint' ? `${v}` : JSON.stringify(v));
    check(got === want, `${what}: got ${show(got)}, want ${show(want)}`);
}

const errorCodes = ['INVALID_ARGUMENT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'INTERNAL'];
const errorPattern = new RegExp(`\\b(${errorCodes.join('|')}): (.*)$`, 'm');

/**
 * ledgerError finds the chaincode's refusal, "CODE: field: rule" or "CODE:
 * message", in an error of the Fabric client: in the message of an
 * evaluation, in the endorsing peers' details of a submit.
 */
function ledgerError(err) {
    const texts = [err.message, ...(err.details ?? []).map((d) => d.message)];
    for (const text of texts) {
        const m = errorPattern.exec(text ?? '');
        if (m) {
            const [, code, rest] = m;
            const field = code === 'INVALID_ARGUMENT' && /^[A-Za-z][\w.]*: /.test(rest) ? rest.split(': ', 1)[0] : '';
            return { code, field, message: rest };
        }
    }
    return undefined;
}

/**
 * deniedToMembers runs a read of the channel itself (blocks, chaincode
 * events, qscc) that a member's identity must be refused: the channel lets
 * only its orgs' admins, peers and ordering nodes read it. The refusal is the
 * peer's access control (an access denial or the gRPC status
 * PERMISSION_DENIED, 7), not some other failure.
 */
async function deniedToMembers(call, what) {
    try {
        await call();
    } catch (err) {
        const texts = [err.message, ...(err.details ?? []).map((d) => d.message)].join('\n');
        check(err.code === grpc.status.PERMISSION_DENIED || texts.includes('access denied'),
            `${what}: refused by the channel's access control, not ${err.code} ${texts}`);
        return;
    }
    check(false, `${what}: a member was not refused`);
}

/** refused runs a call that must fail with the chaincode error code. */
async function refused(code, call, what) {
    try {
        await call();
    } catch (err) {
        const e = ledgerError(err);
        check(e !== undefined, `${what}: no chaincode error code in ${err.message} ${JSON.stringify(err.details ?? [])}`);
        checkEqual(e.code, code, `${what}: error code (${e.message})`);
        return e;
    }
    check(false, `${what}: was not refused`);
}

/**
 * A Member is one identity of one org, connected through that org's peer.
 */
class Member {
    constructor(org, role) {
        this.org = org;
        this.role = role;
        this.orgConfig = config.orgs[org];
        this.mspId = this.orgConfig.mspId;
    }

    async connect() {
        const { peerEndpoint, tlsRootCert, users } = this.orgConfig;
        const user = users[this.role];
        if (!clients.has(this.org)) {
            const credentials = grpc.credentials.createSsl(await readFile(tlsRootCert));
            clients.set(this.org, new grpc.Client(peerEndpoint, credentials));
        }
        this.credentials = await readFile(user.cert);
        const key = createPrivateKey(await readFile(user.key));
        this.gateway = connect({
            client: clients.get(this.org),
            identity: { mspId: this.mspId, credentials: this.credentials },
            signer: signers.newPrivateKeySigner(key),
            hash: hash.sha256,
            evaluateOptions: () => ({ deadline: Date.now() + 30_000 }),
            endorseOptions: () => ({ deadline: Date.now() + 60_000 }),
            submitOptions: () => ({ deadline: Date.now() + 30_000 }),
            commitStatusOptions: () => ({ deadline: Date.now() + 120_000 }),
        });
        this.network = this.gateway.getNetwork(config.channel);
        this.contract = this.network.getContract(config.chaincode);
        members.push(this);
        if (!witnesses.has(this.org)) {
            witnesses.set(this.org, this);
        }
        return this;
    }

    /**
     * submit endorses, orders and waits for the commit of a transaction, and
     * returns its decoded JSON result, transaction ID and block. A submit
     * returns once the submitter's own peer has committed; the other orgs'
     * peers commit the same block a little later, so before returning it also
     * waits for the commit status on every other org's peer (committedEverywhere):
     * the next call, through any org's peer, sees the transaction. With SmartBFT
     * ordering under load, a submit can fail although the transaction was
     * ordered (Fabric issue 4415): unless the error proves it never reached
     * ordering, the outcome is read back by transaction ID.
     */
    async submit(fn, args = [], { transient, endorsers } = {}) {
        declared(fn, args, 'submit', transient);
        const proposal = this.contract.newProposal(fn, {
            arguments: args,
            transientData: transient,
            endorsingOrganizations: endorsers,
        });
        const tx = await proposal.endorse();
        let status;
        try {
            status = await (await tx.submit()).getStatus();
        } catch (err) {
            const neverOrdered = [grpc.status.INVALID_ARGUMENT, grpc.status.FAILED_PRECONDITION, grpc.status.NOT_FOUND,
                grpc.status.PERMISSION_DENIED, grpc.status.UNAUTHENTICATED];
            if (!('transactionId' in err) || neverOrdered.includes(err.code)) {
                throw err;
            }
            status = await this.commitStatus(tx.getTransactionId());
        }
        check(status.successful, `${fn} ${tx.getTransactionId()} committed with validation code ${status.code}`);
        await committedEverywhere(tx.getTransactionId(), this.org);
        const bytes = tx.getResult();
        return {
            result: bytes.length ? JSON.parse(utf8.decode(bytes)) : undefined,
            txId: tx.getTransactionId(),
            block: status.blockNumber,
        };
    }

    /** commitStatus asks the peer for the commit status of a transaction by ID. */
    async commitStatus(txId) {
        const creator = new protos.msp.SerializedIdentity();
        creator.setMspid(this.mspId);
        creator.setIdBytes(this.credentials);
        const request = new protos.gateway.CommitStatusRequest();
        request.setChannelId(config.channel);
        request.setTransactionId(txId);
        request.setIdentity(creator.serializeBinary());
        const signed = new protos.gateway.SignedCommitStatusRequest();
        signed.setRequest(request.serializeBinary());
        return this.gateway.newCommit(signed.serializeBinary()).getStatus();
    }

    /** evaluate runs a query, on the peers of endorsers if given, and decodes its JSON result. */
    async evaluate(fn, args = [], { endorsers } = {}) {
        declared(fn, args, 'evaluate');
        const bytes = await this.contract.evaluate(fn, { arguments: args, endorsingOrganizations: endorsers });
        return JSON.parse(utf8.decode(bytes));
    }

    close() {
        this.gateway.close();
    }
}

/**
 * committedEverywhere waits until the peer of every org other than except has
 * committed transaction txId: the commit status request of a peer's gateway
 * service answers once that peer has committed the transaction, so no
 * polling or sleeping is needed.
 */
async function committedEverywhere(txId, except) {
    await Promise.all([...witnesses.values()].filter((m) => m.org !== except).map(async (m) => {
        const status = await m.commitStatus(txId);
        check(status.successful, `${txId} committed on ${m.mspId}'s peer with validation code ${status.code}`);
    }));
}

async function member(org, role) {
    return new Member(org, role).connect();
}

function id(kind) {
    return `${run}-${kind}`;
}

function salt() {
    return randomBytes(16).toString('hex');
}

function yearFromNow() {
    return new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The market ---------------------------------------------------------------

/** expectedEvents collects the events this run's transactions must emit. */
const expectedEvents = [];

function expectEvent(submitted, name, fields) {
    expectedEvents.push({ txId: submitted.txId, block: submitted.block, name, fields });
}

/**
 * registerAsset runs the exchanges' registration procedure for an asset of
 * the Shanghai holder: apply with the content's SHA-256, review by the
 * Shanghai operator, public notice, certificate.
 */
async function registerAsset(holder, operator, assetId) {
    // The deployment set the market rules, with a short public notice.
    const rules = await operator.evaluate('market:GetRules');
    if (rules.noticePeriodSeconds > 5) {
        throw new Error(`the market's public-notice period is ${rules.noticePeriodSeconds} s: too long for this program`);
    }
    const data = `foreign client data ${assetId}`;
    const applied = await holder.submit('assets:Apply', [assetId, `Foreign client asset ${assetId}`, 'transport', 'shanghai',
        'Registered by the foreign-client conformance program', sha256Hex(data)]);
    checkEqual(applied.result.status, 'PENDING_REVIEW', 'asset status after Apply');
    expectEvent(applied, 'AssetApplied', { assetId });
    await operator.submit('assets:Review', [assetId, 'APPROVE', '']);
    const reviewed = await holder.evaluate('assets:Get', [assetId]);
    checkEqual(reviewed.status, 'PUBLIC_NOTICE', 'asset status after Review');
    await sleep(Math.max(0, new Date(reviewed.noticeEndsAt) - Date.now()) + 1500);
    const certified = await holder.submit('assets:Certify', [assetId]);
    checkEqual(certified.result.status, 'REGISTERED', 'asset status after Certify');
    const verified = await holder.evaluate('assets:VerifyContent', [assetId, sha256Hex(data)]);
    check(verified.matches === true, 'VerifyContent accepts the SHA-256 this client computed');
    return certified.result;
}

/** list creates a USE licence listing of the asset and checks its terms hash. */
async function list(holder, listingId, assetId, pricing, priceFen, regions) {
    const termsDocument = `Use licence ${listingId}: route analytics, no resale`;
    const scope = JSON.stringify({ purpose: 'route analytics', regions, validUntil: yearFromNow(), maySublicense: false });
    const created = await holder.submit('listings:Create', [listingId, assetId, 'USE', scope, pricing, priceFen, sha256Hex(termsDocument)]);
    checkEqual(created.result.status, 'ACTIVE', `listing ${listingId} status`);
    checkEqual(created.result.termsHash, sha256Hex(termsDocument), `listing ${listingId} termsHash`);
    expectEvent(created, 'ListingCreated', { listingId, assetId });
    return created.result;
}

/**
 * termsRecord is the private terms record of one round of an offer, whose
 * hash the ledger publishes as the offer's termsHash.
 */
function termsRecord(tradeId, round, by, offered) {
    return { tradeId, round, by, priceFen: offered.priceFen, conditions: offered.conditions, salt: offered.salt };
}

/** offerHash is the termsHash the ledger must publish for an offer. */
function offerHash(tradeId, round, by, offered) {
    return recordHash(termsRecord(tradeId, round, by, offered));
}

/**
 * parties are the MSP IDs of a trade's buyer's and seller's orgs, each once:
 * the only orgs whose peers may receive its private terms.
 */
function parties(buyer, seller) {
    return [...new Set([buyer.mspId, seller.mspId])];
}

/**
 * fixedPriceTrade: Jiangsu's buyer buys a use licence from the Shanghai
 * holder at the listing's price, with private conditions; every step to
 * completion, and the buyer's right on the ledger.
 */
async function fixedPriceTrade(holder, buyer, assetId) {
    const listingId = id('fixed-listing');
    await list(holder, listingId, assetId, 'FIXED', '150000', ['shanghai', 'jiangsu']);
    const tradeId = id('fixed-trade');
    // The order's private conditions (no price: the listing's is public) are
    // staged first, endorsed by the buyer's and the seller's orgs alone.
    const offered = { conditions: 'delivery by SFTP', salt: salt() };
    const staged = await buyer.submit('trades:StageTerms', [tradeId, '1', listingId],
        { transient: { terms: Buffer.from(JSON.stringify(offered)) }, endorsers: parties(buyer, holder) });
    const ordered = await buyer.submit('trades:Order', [tradeId, listingId]);
    checkEqual(ordered.result.status, 'ORDERED', 'fixed trade status after Order');
    checkEqual(ordered.result.offers[0].termsHash, staged.result.termsHash, 'termsHash of the order: the staged terms\' hash');
    expectEvent(ordered, 'TradeOrdered', { tradeId });

    await refused('INVALID_ARGUMENT', () => buyer.submit('trades:RecordPayment', [tradeId, 'BANK-' + run], { transient: amount('not-fen') }),
        'a payment of "not-fen"');
    const accepted = await holder.submit('trades:Accept', [tradeId]);
    expectEvent(accepted, 'TradeAccepted', { tradeId });
    await refused('FORBIDDEN', () => holder.submit('trades:RecordPayment', [tradeId, 'BANK-' + run], { transient: amount('150000') }),
        'the seller recording the payment');
    await buyer.submit('trades:RecordPayment', [tradeId, 'BANK-' + run], { transient: amount('150000') });
    const delivered = `delivery of ${tradeId}`;
    await holder.submit('trades:Deliver', [tradeId, sha256Hex(delivered)]);
    const confirmed = await buyer.submit('trades:Confirm', [tradeId]);
    checkEqual(confirmed.result.status, 'COMPLETED', 'fixed trade status after Confirm');
    checkEqual(confirmed.result.deliveryHash, sha256Hex(delivered), 'deliveryHash');
    expectEvent(confirmed, 'TradeCompleted', { tradeId, pricing: 'FIXED', priceFen: 150000 });
    const right = await buyer.evaluate('rights:Get', [confirmed.result.rightId]);
    checkEqual(right.holderId, buyer.participant.id, 'holder of the right bought');
    checkEqual(right.type, 'USE', 'type of the right bought');
    return { tradeId, rightId: confirmed.result.rightId };
}

/**
 * negotiatedTrade: the buyer proposes on a NEGOTIABLE listing, the seller
 * counters, the buyer accepts; each round's private terms are read back by
 * both parties and checked against the public hash this client computes;
 * pays the agreed price, delivery, confirmation. Each round is first staged
 * (StageTerms, endorsed by the buyer's and the seller's orgs alone, one org
 * inside one) and the public step carries none.
 */
async function negotiatedTrade(holder, buyer, outsider, outsiderAdmin, assetId, label) {
    const listingId = id(`${label}-listing`);
    await list(holder, listingId, assetId, 'NEGOTIABLE', '500000', [...new Set(['shanghai', buyer.org])]);
    const tradeId = id(`${label}-trade`);
    const rounds = [
        { party: buyer, offered: { priceFen: 450000, conditions: 'monthly <refresh> & "support" \\ 中文 😀 \u2028 é', salt: salt() } },
        { party: holder, offered: { priceFen: 480000, conditions: 'monthly refresh, two seats', salt: salt() } },
    ];
    let trade;
    const txIds = [];
    for (const [i, { party, offered }] of rounds.entries()) {
        const fn = i === 0 ? 'trades:Propose' : 'trades:Counter';
        const args = i === 0 ? [tradeId, listingId] : [tradeId];
        const terms = { terms: Buffer.from(JSON.stringify(offered)) };
        // The terms go to the two parties' orgs' peers alone (step 1), then
        // the public step carries none (step 2).
        const endorsers = parties(buyer, holder);
        // The metadata declares no transient input for the public step, so
        // submit() would not send it; endorsed directly, the chaincode refuses it.
        await refused('INVALID_ARGUMENT', () => party.contract.newProposal(fn,
            { arguments: args, transientData: terms, endorsingOrganizations: endorsers }).endorse(),
            `${label}: terms sent with ${fn}`);
        const staged = await party.submit('trades:StageTerms', [tradeId, String(i + 1), i === 0 ? listingId : ''],
            { transient: terms, endorsers });
        txIds.push(staged.txId);
        checkEqual(staged.result.termsHash, offerHash(tradeId, i + 1, party.participant.id, offered), `${label} hash of staged round ${i + 1}`);
        const submitted = await party.submit(fn, args);
        trade = submitted.result;
        txIds.push(submitted.txId);
        checkEqual(trade.status, 'NEGOTIATING', `${label} status after ${fn}`);
        checkEqual(trade.offers[i].termsHash, offerHash(tradeId, i + 1, party.participant.id, offered), `${label} termsHash of round ${i + 1}`);
        expectEvent(submitted, i === 0 ? 'TradeProposed' : 'TradeCountered', { tradeId, round: i + 1 });
    }
    await refused('FORBIDDEN', () => holder.submit('trades:AcceptOffer', [tradeId]), `${label}: the seller accepting its own offer`);
    const accepted = await buyer.submit('trades:AcceptOffer', [tradeId]);
    checkEqual(accepted.result.status, 'ACCEPTED', `${label} status after AcceptOffer`);
    expectEvent(accepted, 'TradeAccepted', { tradeId });

    // Both parties read the agreed terms on their own peers and verify them.
    for (const party of [buyer, holder]) {
        const agreed = await party.evaluate('trades:Terms', [tradeId, '2']);
        checkEqual(agreed.priceFen, 480000, `${label} agreed price read by ${party.org}`);
        checkEqual(recordHash(termsRecord(tradeId, 2, agreed.by, agreed)), accepted.result.offers[1].termsHash, `${label} hash of the terms ${party.org} read`);
    }
    // To a member who may not read the trade it reads as an unknown one.
    await refused('NOT_FOUND', () => outsider.evaluate('trades:Terms', [tradeId, '2']), `${label}: terms read by an outsider`);
    await refused('NOT_FOUND', () => outsider.evaluate('trades:Get', [tradeId]), `${label}: the trade read by an outsider`);
    // On a peer that does not hold them, the terms are refused, naming the
    // orgs whose peers do.
    const wrongPeer = await refused('FORBIDDEN', () => buyer.evaluate('trades:Terms', [tradeId, '2'], { endorsers: [outsider.mspId] }),
        `${label}: terms read on a peer of ${outsider.mspId}`);
    check(wrongPeer.message.includes(holder.mspId), `${label}: the refusal on the wrong peer names ${holder.mspId}: ${wrongPeer.message}`);

    // No block carries the terms, as the outsider's org reads its blocks
    // (its admin: a member, the outsider itself, reads no block).
    await deniedToMembers(() => outsider.network.getContract('qscc').evaluateTransaction('GetBlockByTxID', config.channel, txIds[0]),
        `${label}: a block read by a member`);
    for (const txId of txIds) {
        const block = await outsiderAdmin.network.getContract('qscc').evaluateTransaction('GetBlockByTxID', config.channel, txId);
        for (const { offered } of rounds) {
            check(!Buffer.from(block).includes(Buffer.from(offered.salt)), `${label}: the block of ${txId} holds no terms`);
        }
    }

    // The amount paid is transient too: the agreed price is in no block.
    const paid = await buyer.submit('trades:RecordPayment', [tradeId, `BANK-${run}-${label}`], { transient: amount('480000') });
    checkEqual(paid.result.status, 'PAID', `${label} status after RecordPayment`);
    const paidBlock = await outsiderAdmin.network.getContract('qscc').evaluateTransaction('GetBlockByTxID', config.channel, paid.txId);
    check(!Buffer.from(paidBlock).includes(Buffer.from('480000')), `${label}: the block of the payment holds no price`);
    await holder.submit('trades:Deliver', [tradeId, sha256Hex(`delivery of ${tradeId}`)]);
    const confirmed = await buyer.submit('trades:Confirm', [tradeId]);
    checkEqual(confirmed.result.status, 'COMPLETED', `${label} status after Confirm`);
    check(!('priceFen' in confirmed.result), `${label}: no negotiated price on the public trade`);
    expectEvent(confirmed, 'TradeCompleted', { tradeId, pricing: 'NEGOTIABLE' });
    return { tradeId, rightId: confirmed.result.rightId };
}

/** creditContents is the private record of a credit record's contents. */
function creditContents(recordId, subjectUscc, c) {
    return { recordId, subjectUscc, type: c.type, grade: c.grade, score: c.score, evidenceHash: c.evidenceHash,
        validUntil: c.validUntil, summary: c.summary };
}

/**
 * creditLookup: Zhejiang's agency publishes a credit record about Anhui's
 * holder in two steps (contents privately to its own org's peers, then the
 * public record with their hash); the subject authorises Jiangsu's buyer,
 * whose lookup commits a trace and then reads the contents on the agency
 * org's peer, verified against the public hash by this client.
 */
async function creditLookup(agency, subject, reader) {
    const recordId = id('credit');
    const contents = {
        type: 'RATING', grade: 'A', score: '720', evidenceHash: sha256Hex(`evidence ${recordId}`),
        validUntil: yearFromNow(), summary: `Foreign client rating ${run}`,
    };
    const subjectUscc = subject.participant.uscc;
    const staged = await agency.submit('credit:StageRecord', [recordId, subjectUscc],
        { transient: { record: Buffer.from(JSON.stringify(contents)) }, endorsers: [agency.mspId] });
    const stored = creditContents(recordId, subjectUscc, contents);
    checkEqual(staged.result.contentHash, recordHash(stored), 'contentHash of the staged record');
    const published = await agency.submit('credit:Publish', [recordId, subjectUscc]);
    checkEqual(published.result.contentHash, staged.result.contentHash, 'contentHash of the published record');
    expectEvent(published, 'RecordPublished', { recordId, subjectUscc });

    const purpose = 'supplier due diligence';
    const authId = id('auth');
    await refused('FORBIDDEN', () => reader.submit('credit:RequestQuery', [id('trace-denied'), subjectUscc, purpose, '']),
        'a lookup without authorisation');
    await subject.submit('credit:Authorize', [authId, reader.participant.id, purpose, yearFromNow()]);
    const traceId = id('trace');
    const requested = await reader.submit('credit:RequestQuery', [traceId, subjectUscc, purpose, authId]);
    checkEqual(requested.result.traceId, traceId, 'the trace RequestQuery answers');
    check(requested.result.records === undefined, 'RequestQuery answers the trace alone, naming no record');
    const listed = await reader.evaluate('credit:ReadRecords', [traceId], { endorsers: [reader.mspId] });
    checkEqual(listed.peerMsp, reader.mspId, 'the org whose peer listed the records');
    const entry = listed.records.find((r) => r.record.recordId === recordId);
    check(entry !== undefined && entry.heldBy === agency.mspId && !entry.contents,
        `the reader's own peer lists ${recordId} as held by ${agency.mspId}, without contents`);
    const read = await reader.evaluate('credit:ReadRecords', [traceId], { endorsers: [agency.mspId] });
    checkEqual(read.peerMsp, agency.mspId, 'the org whose peer answered ReadRecords');
    const mine = read.records.find((r) => r.record.recordId === recordId);
    check(mine !== undefined, `record ${recordId} in the lookup`);
    checkEqual(sha256Hex(mine.contents), published.result.contentHash, 'SHA-256 of the contents read');
    checkEqual(mine.contents, recordBytes(stored), 'the contents read are the stored form of what was staged');
    const traces = await subject.evaluate('credit:ListTraces', [subjectUscc, '100', '']);
    check(traces.items.some((t) => t.traceId === traceId), 'the subject sees the trace of the lookup');
    return { recordId, traceId };
}

// --- Events -----------------------------------------------------------------

/**
 * readEvents reads the chaincode's events as reader (an org's admin: the
 * channel lets no member read them) from block 0, checkpointing each,
 * stops after the first half of this run's expected events, and resumes from
 * the checkpoint until the rest has arrived: every expected event exactly
 * once, in ledger order, with its payload, and none seen twice.
 */
async function readEvents(reader) {
    const file = join(await mkdtemp(join(tmpdir(), 'deltaledger-events-')), 'checkpoint.json');
    const seen = new Set();
    const found = new Map();
    let last = { block: -1n, index: -1 };
    let total = 0;

    const pass = async (options, until) => {
        const checkpointer = await checkpointers.file(file);
        const events = await reader.network.getChaincodeEvents(config.chaincode, { ...options, checkpoint: checkpointer });
        const timer = setTimeout(() => events.close(), 120_000);
        try {
            for await (const event of events) {
                const key = `${event.blockNumber}/${event.transactionId}/${event.eventName}`;
                check(!seen.has(key), `event ${key} delivered once`);
                seen.add(key);
                check(event.blockNumber >= last.block, `event ${key} in ledger order`);
                last = { block: event.blockNumber };
                total++;
                const payload = JSON.parse(utf8.decode(event.payload));
                check(typeof payload === 'object' && payload !== null, `payload of ${key} is a JSON object`);
                const expected = expectedEvents.find((e) => e.txId === event.transactionId && e.name === event.eventName);
                if (expected) {
                    checkEqual(event.blockNumber, expected.block, `block of ${event.eventName} ${event.transactionId}`);
                    for (const [field, value] of Object.entries(expected.fields)) {
                        checkEqual(payload[field], value, `${event.eventName}.${field}`);
                    }
                    found.set(`${expected.txId}/${expected.name}`, event.blockNumber);
                }
                await checkpointer.checkpointChaincodeEvent(event);
                if (until()) {
                    break;
                }
            }
        } finally {
            clearTimeout(timer);
            events.close();
        }
    };

    const half = Math.ceil(expectedEvents.length / 2);
    await pass({ startBlock: 0n }, () => found.size >= half);
    check(found.size >= half, `the first ${half} expected events arrived from block 0 (got ${found.size})`);
    const resumedAfter = (await checkpointers.file(file)).getBlockNumber();
    check(resumedAfter !== undefined, 'the checkpoint file holds a block number');
    await pass({}, () => found.size === expectedEvents.length);
    checkEqual(found.size, expectedEvents.length, 'every expected event arrived once');
    return { total, checkpointBlock: String(resumedAfter) };
}

// --- The run ------------------------------------------------------------------

async function main() {
    const holder = await member('shanghai', 'holder');
    const operator = await member('shanghai', 'operator');
    const jiangsuBuyer = await member('jiangsu', 'buyer');
    const zhejiangBuyer = await member('zhejiang', 'buyer');
    const anhuiBuyer = await member('anhui', 'buyer');
    const zhejiangAgency = await member('zhejiang', 'agency');
    const anhuiHolder = await member('anhui', 'holder');
    for (const m of members) {
        m.participant = await m.evaluate('participants:WhoAmI');
        checkEqual(m.participant.mspId, m.mspId, `WhoAmI of ${m.org}/${m.role}`);
    }

    const metadata = await holder.evaluate('org.hyperledger.fabric:GetMetadata');
    for (const name of ['participants', 'assets', 'rights', 'listings', 'trades', 'credit']) {
        check(name in metadata.contracts, `contract ${name} in the metadata`);
    }
    checkMetadata(metadata);
    contractMetadata = metadata; // from now on, every call is checked against it

    const bad = await refused('INVALID_ARGUMENT', () => holder.submit('assets:Apply', ['Bad ID!', 'n', 'transport', 'shanghai', 'd', 'nothex']),
        'an application with a bad ID');
    checkEqual(bad.field, 'id', 'the field named by the refusal');

    const asset = await registerAsset(holder, operator, id('asset'));
    const fixed = await fixedPriceTrade(holder, jiangsuBuyer, asset.id);
    const shanghaiBuyer = await member('shanghai', 'buyer');
    shanghaiBuyer.participant = await shanghaiBuyer.evaluate('participants:WhoAmI');
    // Anhui's admin reads the channel's blocks and events for its org; no
    // member does (not a participant of the market: it joins no WhoAmI).
    const anhuiAdmin = await member('anhui', 'admin');
    const sameRegion = await negotiatedTrade(holder, shanghaiBuyer, anhuiBuyer, anhuiAdmin, asset.id, 'same-region');
    const negotiated = await negotiatedTrade(holder, zhejiangBuyer, anhuiBuyer, anhuiAdmin, asset.id, 'cross-region');
    const credit = await creditLookup(zhejiangAgency, anhuiHolder, jiangsuBuyer);
    await deniedToMembers(async () => {
        const events = await anhuiBuyer.network.getChaincodeEvents(config.chaincode, { startBlock: 0n });
        try {
            await events[Symbol.asyncIterator]().next();
        } finally {
            events.close();
        }
    }, 'chaincode events read by a member');
    const events = await readEvents(anhuiAdmin);
    return { checks, assetId: asset.id, fixed, sameRegion, negotiated, credit, events, expectedEvents: expectedEvents.length };
}

try {
    const summary = await main();
    console.log(`RESULT ${JSON.stringify(summary)}`);
} finally {
    for (const m of members) {
        m.close();
    }
    for (const c of clients.values()) {
        c.close();
    }
}
