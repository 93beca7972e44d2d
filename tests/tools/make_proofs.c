/*
** make_proofs.c: a test-only program that writes the proofs and checkpoints tools/verify_proof.py
** reads, from a synthetic log, through src/merkle.h (the store is not involved).
**
** The log: record i (1-based) is the canonical JSON of
**   {"amount_usd":1000*i,"date":"2026-01-15","note":"r\u00E9cord","type":"volume_purchase"}
** (an e with an acute accent, as canonical JSON writes it), chained as a store chains it: prev(1) is SHA-256("pactum test
** agreement"), hash(i) = SHA-256(i in 8 bytes big-endian || prev(i) || json(i)), prev(i+1) =
** hash(i). The leaves of the tree are SHA-256(0x00 || hash(i)). Record i is the same whatever the
** log's size, so proofs between sizes are proofs of one log. With --fork K, record K's amount is
** one more: a log rewritten from K on. With --head-of K, a checkpoint names record K's hash as its
** head (a signer's mistake, or a lie: the head is not the last record).
**
** Usage (JSON on standard output, exit 0; 2 on a bad argument):
**   make_proofs [--fork K] inclusion N SEQ [CHAIN]   the inclusion proof of record SEQ in N records
**   make_proofs [--fork K] consistency M N           the consistency proof from M to N records
**   make_proofs [--fork K] checkpoint N [SIGNER...]  the checkpoint of N records, signed by each
**                                                   SIGNER (default microsoft and openai)
**   make_proofs key SIGNER                           SIGNER's public key, in base64
** A signer's Ed25519 key comes from a seed of 32 copies of the first byte of its name.
*/
#include "canon.h"
#include "merkle.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 4096
#define ORIGIN "pactum test log \xE2\x80\x94 caf\xC3\xA9 \xF0\x9F\x98\x80"

static char *json_of[MAXN + 1];
static uint8_t prev_of[MAXN + 1][MERKLE_HASH], hash_of[MAXN + 1][MERKLE_HASH];
static uint8_t (*nodes[MERKLE_MAX_LEVELS])[MERKLE_HASH];
static uint8_t agreement[MERKLE_HASH];

static int node_fn(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH]) {
  uint64_t n = *(const uint64_t *)ctx;
  if (level >= 13 || index >= (n >> level)) return 1; /* never asked: a bug if it is */
  memcpy(out, nodes[level][index], MERKLE_HASH);
  return 0;
}

/* Build records 1..n and the tree's nodes. */
static void build(uint64_t n, uint64_t fork) {
  crypto_hash_sha256(agreement, (const unsigned char *)"pactum test agreement", 21);
  for (int l = 0; l < 13; l++) {
    nodes[l] = calloc((size_t)(MAXN >> l) + 1, MERKLE_HASH);
    if (!nodes[l]) exit(3);
  }
  merkle_frontier f;
  merkle_frontier_init(&f);
  uint8_t made[MERKLE_MAX_LEVELS][MERKLE_HASH];
  for (uint64_t i = 1; i <= n; i++) {
    json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "amount_usd", (json_int_t)(1000 * i + (i == fork)), "date",
                          "2026-01-15", "note", "r\xC3\xA9" "cord", "type", "volume_purchase");
    size_t len = 0;
    json_of[i] = canon_json(o, &len);
    json_decref(o);
    if (!json_of[i]) exit(3);
    memcpy(prev_of[i], i == 1 ? agreement : hash_of[i - 1], MERKLE_HASH);
    canon_chain_hash((int64_t)i, prev_of[i], json_of[i], len, hash_of[i]);
    merkle_leaf_hash(hash_of[i], MERKLE_HASH, nodes[0][i - 1]);
    int k = merkle_frontier_push(&f, nodes[0][i - 1], made);
    for (int l = 1; l <= k; l++) memcpy(nodes[l][(i >> l) - 1], made[l - 1], MERKLE_HASH);
  }
}

static json_t *hex(const uint8_t h[MERKLE_HASH]) {
  char s[HASH_HEX];
  canon_hex(h, MERKLE_HASH, s);
  return json_string(s);
}

static json_t *path_json(uint8_t path[][MERKLE_HASH], int n) {
  json_t *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, hex(path[i]));
  return a;
}

static void root_of(uint64_t n, uint8_t out[MERKLE_HASH]) {
  if (merkle_root(n, node_fn, &n, out) != MERKLE_OK) exit(3);
}

static void print(json_t *v) {
  char *s = json_dumps(v, JSON_INDENT(1) | JSON_ENSURE_ASCII);
  if (!s) exit(3);
  puts(s);
  free(s);
  json_decref(v);
}

static void keypair(const char *signer, uint8_t pk[crypto_sign_PUBLICKEYBYTES], uint8_t sk[crypto_sign_SECRETKEYBYTES]) {
  uint8_t seed[crypto_sign_SEEDBYTES];
  memset(seed, signer[0], sizeof seed);
  crypto_sign_seed_keypair(pk, sk, seed);
}

static json_t *b64(const uint8_t *bin, size_t n) {
  char out[128];
  sodium_bin2base64(out, sizeof out, bin, n, sodium_base64_VARIANT_ORIGINAL);
  return json_string(out);
}

static uint64_t number(const char *s, uint64_t lo, uint64_t hi) {
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) {
    fprintf(stderr, "make_proofs: '%s' is not a number in %llu..%llu\n", s, (unsigned long long)lo,
            (unsigned long long)hi);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (sodium_init() < 0) return 3;
  uint64_t fork = 0, head_of = 0;
  int a = 1;
  while (a + 1 < argc && (!strcmp(argv[a], "--fork") || !strcmp(argv[a], "--head-of"))) {
    *(!strcmp(argv[a], "--fork") ? &fork : &head_of) = number(argv[a + 1], 1, MAXN);
    a += 2;
  }
  if (a >= argc) {
    fprintf(stderr, "usage: make_proofs [--fork K] [--head-of K] inclusion N SEQ [CHAIN] | consistency M N | checkpoint N [SIGNER...] | key SIGNER\n");
    return 2;
  }
  const char *cmd = argv[a++];
  uint8_t path[MERKLE_MAX_LEVELS][MERKLE_HASH], root[MERKLE_HASH];
  int np = 0;
  if (!strcmp(cmd, "inclusion") && a + 1 < argc) {
    uint64_t n = number(argv[a], 1, MAXN), seq = number(argv[a + 1], 1, n);
    const char *chain = a + 2 < argc ? argv[a + 2] : "events";
    build(n, fork);
    root_of(n, root);
    if (merkle_inclusion_proof(seq - 1, n, node_fn, &n, path, &np) != MERKLE_OK) return 3;
    json_t *rec = json_pack("{s:I, s:o, s:o, s:s}", "seq", (json_int_t)seq, "prev_hash", hex(prev_of[seq]), "hash",
                            hex(hash_of[seq]), "json", json_of[seq]);
    print(json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "proof", "inclusion", "chain", chain, "seq", (json_int_t)seq,
                    "size", (json_int_t)n, "root", hex(root), "record", rec, "path", path_json(path, np)));
  } else if (!strcmp(cmd, "consistency") && a + 1 < argc) {
    uint64_t m = number(argv[a], 1, MAXN), n = number(argv[a + 1], m, MAXN);
    uint8_t old[MERKLE_HASH];
    build(n, fork);
    root_of(m, old);
    root_of(n, root);
    if (merkle_consistency_proof(m, n, node_fn, &n, path, &np) != MERKLE_OK) return 3;
    print(json_pack("{s:s, s:s, s:{s:I, s:o}, s:{s:I, s:o}, s:o}", "proof", "consistency", "chain", "events", "from",
                    "size", (json_int_t)m, "root", hex(old), "to", "size", (json_int_t)n, "root", hex(root), "path",
                    path_json(path, np)));
  } else if (!strcmp(cmd, "checkpoint") && a < argc) {
    uint64_t n = number(argv[a++], 0, MAXN);
    build(n > head_of ? n : head_of, fork);
    root_of(n, root);
    json_t *cp = json_pack("{s:s, s:o, s:s, s:I, s:o, s:o}", "origin", ORIGIN, "agreement", hex(agreement), "chain",
                           "events", "size", (json_int_t)n, "root", hex(root), "head", hex(head_of ? hash_of[head_of] : n ? hash_of[n] : agreement));
    size_t len = 0;
    char *body = canon_json(cp, &len);
    if (!body) return 3;
    static const char prefix[] = "pactum/checkpoint/v1\n";
    size_t mlen = sizeof prefix - 1 + len;
    unsigned char *msg = malloc(mlen);
    if (!msg) return 3;
    memcpy(msg, prefix, sizeof prefix - 1);
    memcpy(msg + sizeof prefix - 1, body, len);
    free(body);
    json_t *sigs = json_array();
    static const char *const defaults[] = {"microsoft", "openai"};
    int nsigners = a < argc ? argc - a : 2;
    for (int i = 0; i < nsigners; i++) {
      const char *signer = a < argc ? argv[a + i] : defaults[i];
      uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
      keypair(signer, pk, sk);
      crypto_sign_detached(sig, NULL, msg, mlen, sk);
      json_array_append_new(sigs, json_pack("{s:s, s:o, s:o}", "signer", signer, "public_key", b64(pk, sizeof pk),
                                            "signature", b64(sig, sizeof sig)));
    }
    free(msg);
    json_object_set_new(cp, "signatures", sigs);
    print(cp);
  } else if (!strcmp(cmd, "key") && a < argc) {
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    keypair(argv[a], pk, sk);
    json_t *k = b64(pk, sizeof pk);
    puts(json_string_value(k));
    json_decref(k);
  } else {
    fprintf(stderr, "make_proofs: bad arguments (see the usage in tests/tools/make_proofs.c)\n");
    return 2;
  }
  return 0;
}
