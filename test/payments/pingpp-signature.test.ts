import test from 'ava';
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { signRequest, signPayload, verifyWebhookSignature } from '../../src/payments/pingpp-signature.js';

const pingpp = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pubPem = pingpp.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const otherPubPem = other.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const event = Buffer.from(JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded', data: { object: { id: 'ch_1' } } }));
// Signed independently of the module under test.
const sigOf = (data: Buffer): string => createSign('RSA-SHA256').update(data).sign(pingpp.privateKey, 'base64');

test('a genuine signature verifies, on a Buffer and on the same text', (t) => {
  const sig = sigOf(event);
  t.true(verifyWebhookSignature(event, sig, pubPem));
  t.true(verifyWebhookSignature(event.toString('utf8'), sig, pubPem));
});

test('PKCS#1 public key PEM and a PEM with escaped newlines (as from an env var) work', (t) => {
  const sig = sigOf(event);
  const pkcs1 = pingpp.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  t.true(verifyWebhookSignature(event, sig, pkcs1));
  t.true(verifyWebhookSignature(event, sig, pubPem.replace(/\n/g, '\\n')));
});

test('a tampered body fails', (t) => {
  const sig = sigOf(event);
  const tampered = Buffer.from(event.toString().replace('ch_1', 'ch_2'));
  t.false(verifyWebhookSignature(tampered, sig, pubPem));
});

test('the wrong public key fails', (t) => {
  t.false(verifyWebhookSignature(event, sigOf(event), otherPubPem));
});

test('missing, empty, garbage and truncated signatures fail without throwing', (t) => {
  const sig = sigOf(event);
  for (const bad of [undefined, '', '   ', '!!!not base64!!!', 'AAAA', sig.slice(0, 40), `${sig}junk$`]) {
    t.false(verifyWebhookSignature(event, bad, pubPem), String(bad));
  }
});

test('an unusable key fails without throwing', (t) => {
  t.false(verifyWebhookSignature(event, sigOf(event), 'not a pem'));
  t.false(verifyWebhookSignature(event, sigOf(event), ''));
});

test('signPayload produces what verifyWebhookSignature accepts', (t) => {
  const pem = pingpp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  t.true(verifyWebhookSignature(event, signPayload(event, pem), pubPem));
});

test('signRequest signs body + URI + timestamp with RSA-SHA256', (t) => {
  const pem = pingpp.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const body = '{"order_no":"o1"}';
  const sig = signRequest({ body, uri: '/v1/charges?x=1', timestamp: 1700000000, privateKeyPem: pem });
  const ok = (data: string) => createVerify('RSA-SHA256').update(data).verify(pingpp.publicKey, sig, 'base64');
  t.true(ok(`${body}/v1/charges?x=11700000000`));
  t.false(ok(`${body}/v1/charges1700000000`));
});
