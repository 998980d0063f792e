/*
 * The C suite of libdpikit_ffi: each function's success path, its error paths (by code, never
 * by message text) and the ownership rules (free NULL, outputs untouched on error).
 * Built by `make test-c` against the static and the shared library, and run under AddressSanitizer + LeakSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpikit.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        checks++;                                                                     \
        if (!(cond)) {                                                                \
            failures++;                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define EXPECT(call, code)                                                            \
    do {                                                                              \
        dpikit_result r_ = (call);                                                    \
        checks++;                                                                     \
        if (r_ != (code)) {                                                           \
            failures++;                                                               \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %u (%s)\n", __FILE__, \
                    __LINE__, #call, (unsigned)r_, dpikit_error_name(r_),             \
                    (unsigned)(code), dpikit_error_name(code));                       \
        }                                                                             \
    } while (0)

#define S(lit) (const uint8_t *)(lit), strlen(lit)
#define STR(s) (const uint8_t *)(s), strlen(s)

/* A pointer no library call may write: outputs must stay untouched on error. */
static char sentinel_byte;
#define SENTINEL ((char *)&sentinel_byte)

static const uint8_t BAD_UTF8[] = {0x66, 0xff, 0x6f};

static const char *CREDENTIAL =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
    "\"type\":[\"VerifiableCredential\"],"
    "\"credentialSubject\":{\"id\":\"did:example:ana\",\"name\":\"Ana\"}}";

static void test_errors_and_strings(void) {
    char buf[512];
    size_t written = 12345;
    dpikit_key *key = NULL;

    CHECK(strcmp(dpikit_error_name(DPIKIT_OK), "ok") == 0);
    CHECK(strcmp(dpikit_error_name(DPIKIT_ERR_NULL_PARAMETER), "null_parameter") == 0);
    CHECK(strcmp(dpikit_error_name(DPIKIT_ERR_PROOF_INVALID), "proof_invalid") == 0);
    CHECK(strcmp(dpikit_error_name(4242424u), "unknown") == 0);
    CHECK(dpikit_version() != NULL && strlen(dpikit_version()) > 0);

    /* Freeing NULL is a no-op for every kind of thing the library hands out. */
    dpikit_string_free(NULL);
    dpikit_bytes_free(NULL, 0);
    dpikit_key_free(NULL);
    dpikit_verifier_free(NULL);
    dpikit_ledger_free(NULL);
    dpikit_registry_free(NULL);

    /* A failure leaves a message; a too-small buffer is refused without writing. */
    EXPECT(dpikit_key_generate(S("rsa"), &key), DPIKIT_ERR_UNSUPPORTED_KEY_TYPE);
    CHECK(key == NULL);
    EXPECT(dpikit_last_error_message(NULL, 10, &written), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_last_error_message(buf, sizeof buf, NULL), DPIKIT_ERR_NULL_PARAMETER);
    buf[0] = 'x';
    EXPECT(dpikit_last_error_message(buf, 2, &written), DPIKIT_ERR_BUFFER_TOO_SMALL);
    CHECK(buf[0] == 'x' && written == 12345);
    EXPECT(dpikit_last_error_message(buf, sizeof buf, &written), DPIKIT_OK);
    CHECK(written > 0 && written == strlen(buf));

    /* A success clears it. */
    EXPECT(dpikit_key_generate(S("ed25519"), &key), DPIKIT_OK);
    EXPECT(dpikit_last_error_message(buf, sizeof buf, &written), DPIKIT_OK);
    CHECK(written == 0 && buf[0] == '\0');
    dpikit_key_free(key);
}

static void test_keys_and_jws(void) {
    dpikit_key *ed = NULL, *p256 = NULL, *pub = NULL, *other = NULL, *untouched = (dpikit_key *)SENTINEL;
    char *jwk = SENTINEL, *did = NULL, *token = NULL, *s = SENTINEL;
    uint8_t *payload = (uint8_t *)SENTINEL;
    size_t payload_len = 777;

    EXPECT(dpikit_key_generate(S("ed25519"), &ed), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("p256"), &p256), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("ed25519"), &other), DPIKIT_OK);
    EXPECT(dpikit_key_generate(NULL, 7, &untouched), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_key_generate(BAD_UTF8, sizeof BAD_UTF8, &untouched), DPIKIT_ERR_BINDING_INVALID_UTF8);
    EXPECT(dpikit_key_generate(S("ed25519"), NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(untouched == (dpikit_key *)SENTINEL);

    EXPECT(dpikit_key_did_key(ed, &did), DPIKIT_OK);
    CHECK(strncmp(did, "did:key:z", 9) == 0);
    EXPECT(dpikit_key_did_key(NULL, &s), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(s == SENTINEL);

    /* Public JWK round trip: a public-only key verifies but cannot sign. */
    EXPECT(dpikit_key_public_jwk(ed, &jwk), DPIKIT_OK);
    CHECK(strstr(jwk, "\"d\"") == NULL);
    EXPECT(dpikit_key_from_jwk(STR(jwk), &pub), DPIKIT_OK);
    EXPECT(dpikit_key_private_jwk(pub, &s), DPIKIT_ERR_MISSING_PRIVATE_KEY);
    CHECK(s == SENTINEL);
    EXPECT(dpikit_jws_sign(pub, S("x"), &s), DPIKIT_ERR_MISSING_PRIVATE_KEY);
    CHECK(s == SENTINEL);
    dpikit_string_free(jwk);
    EXPECT(dpikit_key_private_jwk(p256, &jwk), DPIKIT_OK);
    CHECK(strstr(jwk, "\"d\"") != NULL);
    dpikit_string_free(jwk);
    EXPECT(dpikit_key_from_jwk(S("{not json"), &untouched), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_key_from_jwk(S("{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}"), &untouched), DPIKIT_ERR_INVALID_JWK);
    EXPECT(dpikit_key_from_jwk(S("{\"kty\":\"RSA\"}"), &untouched), DPIKIT_ERR_UNSUPPORTED_KEY_TYPE);
    CHECK(untouched == (dpikit_key *)SENTINEL);

    /* JWS: sign, verify with the public key, refuse the wrong key and a tampered token. */
    EXPECT(dpikit_jws_sign(ed, S("{\"hello\":\"city\"}"), &token), DPIKIT_OK);
    EXPECT(dpikit_jws_verify(pub, STR(token), &payload, &payload_len), DPIKIT_OK);
    CHECK(payload_len == 16 && memcmp(payload, "{\"hello\":\"city\"}", 16) == 0);
    dpikit_bytes_free(payload, payload_len);
    payload = (uint8_t *)SENTINEL;
    payload_len = 777;
    EXPECT(dpikit_jws_verify(other, STR(token), &payload, &payload_len), DPIKIT_ERR_INVALID_SIGNATURE);
    EXPECT(dpikit_jws_verify(p256, STR(token), &payload, &payload_len), DPIKIT_ERR_ALG_KEY_MISMATCH);
    token[strlen(token) - 3] = token[strlen(token) - 3] == 'A' ? 'B' : 'A';
    EXPECT(dpikit_jws_verify(pub, STR(token), &payload, &payload_len), DPIKIT_ERR_INVALID_SIGNATURE);
    EXPECT(dpikit_jws_verify(pub, S("a.b"), &payload, &payload_len), DPIKIT_ERR_MALFORMED_JWS);
    EXPECT(dpikit_jws_verify(pub, STR(token), NULL, &payload_len), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(payload == (uint8_t *)SENTINEL && payload_len == 777);
    dpikit_string_free(token);

    /* An empty payload is a zero-length buffer, still freed with dpikit_bytes_free. */
    EXPECT(dpikit_jws_sign(p256, (const uint8_t *)"", 0, &token), DPIKIT_OK);
    EXPECT(dpikit_jws_verify(p256, STR(token), &payload, &payload_len), DPIKIT_OK);
    CHECK(payload_len == 0);
    dpikit_bytes_free(payload, payload_len);
    dpikit_string_free(token);

    dpikit_string_free(did);
    dpikit_key_free(ed);
    dpikit_key_free(p256);
    dpikit_key_free(pub);
    dpikit_key_free(other);
}

static void test_credentials(void) {
    static const char *suites[] = {"eddsa-jcs-2022", "eddsa-rdfc-2022", "vc+jwt"};
    dpikit_key *issuer = NULL, *p256 = NULL;
    dpikit_verifier *verifier = NULL;
    char *secured = NULL, *report = SENTINEL, *s = SENTINEL;
    char msg[8192];
    size_t written = 0, i;

    EXPECT(dpikit_key_generate(S("ed25519"), &issuer), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("p256"), &p256), DPIKIT_OK);
    EXPECT(dpikit_verifier_new(&verifier), DPIKIT_OK);
    EXPECT(dpikit_verifier_new(NULL), DPIKIT_ERR_NULL_PARAMETER);

    for (i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        EXPECT(dpikit_credential_issue(issuer, STR(suites[i]), STR(CREDENTIAL), &secured), DPIKIT_OK);
        EXPECT(dpikit_credential_verify(verifier, STR(secured), &report), DPIKIT_OK);
        CHECK(report != SENTINEL && strstr(report, "\"verified\":true") != NULL);
        dpikit_string_free(report);
        report = SENTINEL;
        dpikit_string_free(secured);
    }
    EXPECT(dpikit_credential_issue(p256, S("ecdsa-jcs-2019"), STR(CREDENTIAL), &secured), DPIKIT_OK);
    EXPECT(dpikit_credential_verify(verifier, STR(secured), &report), DPIKIT_OK);
    dpikit_string_free(report);
    report = SENTINEL;
    dpikit_string_free(secured);

    /* Tampered: the proof no longer covers the document; the report is the last message. */
    EXPECT(dpikit_credential_issue(issuer, S("eddsa-jcs-2022"), STR(CREDENTIAL), &secured), DPIKIT_OK);
    {
        char *name = strstr(secured, "\"Ana\"");
        CHECK(name != NULL);
        if (name) name[1] = 'E';
    }
    EXPECT(dpikit_credential_verify(verifier, STR(secured), &report), DPIKIT_ERR_PROOF_INVALID);
    CHECK(report == SENTINEL);
    EXPECT(dpikit_last_error_message(msg, sizeof msg, &written), DPIKIT_OK);
    CHECK(strstr(msg, "\"verified\":false") != NULL);
    dpikit_string_free(secured);

    /* Error paths of issue and verify. */
    EXPECT(dpikit_credential_issue(issuer, S("no-such-suite"), STR(CREDENTIAL), &s), DPIKIT_ERR_UNSUPPORTED_CRYPTOSUITE);
    EXPECT(dpikit_credential_issue(issuer, S("eddsa-jcs-2022"), S("{\"a\":"), &s), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_credential_issue(issuer, S("eddsa-jcs-2022"), S("{\"type\":1}"), &s), DPIKIT_ERR_MALFORMED_CREDENTIAL);
    EXPECT(dpikit_credential_issue(NULL, S("eddsa-jcs-2022"), STR(CREDENTIAL), &s), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_credential_issue(issuer, BAD_UTF8, sizeof BAD_UTF8, STR(CREDENTIAL), &s), DPIKIT_ERR_BINDING_INVALID_UTF8);
    EXPECT(dpikit_credential_verify(verifier, S("{\"a\":"), &report), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_credential_verify(NULL, STR(CREDENTIAL), &report), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_credential_verify(verifier, STR(CREDENTIAL), NULL), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_credential_verify(verifier, STR(CREDENTIAL), &report), DPIKIT_ERR_MALFORMED_CREDENTIAL);
    CHECK(s == SENTINEL && report == SENTINEL);

    /* Verifier options. */
    EXPECT(dpikit_verifier_set_time(verifier, S("2026-01-01T00:00:00Z")), DPIKIT_OK);
    EXPECT(dpikit_verifier_set_time(verifier, S("yesterday")), DPIKIT_ERR_INVALID_TIMESTAMP);
    EXPECT(dpikit_verifier_set_challenge(verifier, S("nonce-1")), DPIKIT_OK);
    EXPECT(dpikit_verifier_set_domain(verifier, S("city.example")), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_did_document(verifier, S("{\"id\":1}")), DPIKIT_ERR_INVALID_DID_DOCUMENT);
    EXPECT(dpikit_verifier_add_did_document(verifier, S("{\"id\":\"did:web:city.example\"}")), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_context(verifier, S("https://example.org/ctx"), S("{\"@context\":{\"name\":\"https://schema.org/name\"}}")), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_status_list(verifier, S("{}")), DPIKIT_ERR_STATUS_LIST_INVALID);
    EXPECT(dpikit_verifier_set_domain(NULL, S("x")), DPIKIT_ERR_NULL_PARAMETER);

    /* Presentations: a holder wraps a credential, bound to the verifier's challenge and domain. */
    {
        dpikit_key *holder = NULL;
        dpikit_verifier *strict = NULL, *wrong = NULL;
        char *vc = NULL, *list = NULL, *vp = NULL;
        size_t n;
        EXPECT(dpikit_key_generate(S("ed25519"), &holder), DPIKIT_OK);
        EXPECT(dpikit_credential_issue(issuer, S("vc+jwt"), STR(CREDENTIAL), &vc), DPIKIT_OK);
        n = strlen(vc) + 8;
        list = malloc(n);
        if (list) snprintf(list, n, "[\"%s\"]", vc);
        EXPECT(dpikit_presentation_issue(holder, S("eddsa-jcs-2022"), STR(list), S("nonce-1"), S("city.example"), &vp), DPIKIT_OK);
        EXPECT(dpikit_presentation_issue(holder, S("eddsa-jcs-2022"), S("{}"), NULL, 0, NULL, 0, &s), DPIKIT_ERR_INVALID_ARGUMENT);
        EXPECT(dpikit_presentation_issue(NULL, S("eddsa-jcs-2022"), STR(list), NULL, 0, NULL, 0, &s), DPIKIT_ERR_NULL_PARAMETER);
        CHECK(s == SENTINEL);
        EXPECT(dpikit_verifier_new(&strict), DPIKIT_OK);
        EXPECT(dpikit_verifier_set_challenge(strict, S("nonce-1")), DPIKIT_OK);
        EXPECT(dpikit_verifier_set_domain(strict, S("city.example")), DPIKIT_OK);
        EXPECT(dpikit_presentation_verify(strict, STR(vp), &report), DPIKIT_OK);
        dpikit_string_free(report);
        report = SENTINEL;
        EXPECT(dpikit_verifier_new(&wrong), DPIKIT_OK);
        EXPECT(dpikit_verifier_set_challenge(wrong, S("nonce-2")), DPIKIT_OK);
        EXPECT(dpikit_verifier_set_domain(wrong, S("city.example")), DPIKIT_OK);
        EXPECT(dpikit_presentation_verify(wrong, STR(vp), &report), DPIKIT_ERR_CHALLENGE_MISMATCH);
        CHECK(report == SENTINEL);
        dpikit_verifier_free(strict);
        dpikit_verifier_free(wrong);
        dpikit_string_free(vp);
        free(list);
        dpikit_string_free(vc);
        dpikit_key_free(holder);
    }

    /* Presentations: an unsigned one has no proof; JSON and JWT intake errors. */
    EXPECT(dpikit_presentation_verify(verifier,
                                      S("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiablePresentation\"]}"),
                                      &report),
           DPIKIT_ERR_PROOF_MISSING);
    EXPECT(dpikit_presentation_verify(verifier, S("{\"a\":"), &report), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_presentation_verify(verifier, S("not.a.jwt"), &report), DPIKIT_ERR_INVALID_BASE64);
    EXPECT(dpikit_presentation_verify(verifier, BAD_UTF8, sizeof BAD_UTF8, &report), DPIKIT_ERR_INVALID_UTF8);
    CHECK(report == SENTINEL);

    dpikit_verifier_free(verifier);
    dpikit_key_free(issuer);
    dpikit_key_free(p256);
}

static void test_status_lists(void) {
    dpikit_key *issuer = NULL;
    dpikit_verifier *verifier = NULL;
    char *list = NULL, *revoked = NULL, *secured = NULL, *report = SENTINEL, *s = SENTINEL;
    char credential[1024];
    uint8_t value = 99;

    EXPECT(dpikit_key_generate(S("ed25519"), &issuer), DPIKIT_OK);
    EXPECT(dpikit_status_list_new(issuer, S("https://city.example/status/1"), S("revocation"), 131072, &list), DPIKIT_OK);
    EXPECT(dpikit_status_list_new(issuer, S("https://city.example/status/1"), S("sometimes"), 131072, &s), DPIKIT_ERR_STATUS_LIST_INVALID);
    EXPECT(dpikit_status_list_set(issuer, STR(list), 7, 1, &revoked), DPIKIT_OK);
    EXPECT(dpikit_status_list_set(issuer, STR(list), 1u << 30, 1, &s), DPIKIT_ERR_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT(dpikit_status_list_set(issuer, S("{}"), 7, 1, &s), DPIKIT_ERR_STATUS_LIST_INVALID);
    CHECK(s == SENTINEL);

    snprintf(credential, sizeof credential,
             "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
             "\"type\":[\"VerifiableCredential\"],"
             "\"credentialSubject\":{\"id\":\"did:example:ana\"},"
             "\"credentialStatus\":{\"id\":\"https://city.example/status/1#%d\","
             "\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\","
             "\"statusListIndex\":\"%d\",\"statusListCredential\":\"https://city.example/status/1\"}}",
             7, 7);
    EXPECT(dpikit_status_check(STR(list), STR(credential), &value), DPIKIT_OK);
    CHECK(value == 0);
    value = 99;
    EXPECT(dpikit_status_check(STR(revoked), STR(credential), &value), DPIKIT_ERR_REVOKED);
    EXPECT(dpikit_status_check(STR(revoked), STR(CREDENTIAL), &value), DPIKIT_ERR_STATUS_LIST_INVALID);
    EXPECT(dpikit_status_check(STR(revoked), STR(credential), NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(value == 99);

    /* Through a verifier: the revoked credential fails with the revocation code. */
    EXPECT(dpikit_credential_issue(issuer, S("eddsa-jcs-2022"), STR(credential), &secured), DPIKIT_OK);
    EXPECT(dpikit_verifier_new(&verifier), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_status_list(verifier, STR(list)), DPIKIT_OK);
    EXPECT(dpikit_credential_verify(verifier, STR(secured), &report), DPIKIT_OK);
    dpikit_string_free(report);
    report = SENTINEL;
    dpikit_verifier_free(verifier);
    EXPECT(dpikit_verifier_new(&verifier), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_status_list(verifier, STR(revoked)), DPIKIT_OK);
    EXPECT(dpikit_credential_verify(verifier, STR(secured), &report), DPIKIT_ERR_REVOKED);
    CHECK(report == SENTINEL);

    dpikit_verifier_free(verifier);
    dpikit_string_free(secured);
    dpikit_string_free(list);
    dpikit_string_free(revoked);
    dpikit_key_free(issuer);
}

#define CITY "did:web:city.example"
#define ANA "did:example:ana"

static void test_consent_and_ledger(void) {
    dpikit_key *controller = NULL, *other = NULL;
    dpikit_ledger *ledger = NULL, *untouched = (dpikit_ledger *)SENTINEL;
    char *requested = NULL, *given = NULL, *withdrawn = NULL, *decision = NULL, *receipt = NULL;
    char *verified = NULL, *current = NULL, *s = SENTINEL;
    dpikit_result reason = 12345;
    uint64_t entries = 0;

    EXPECT(dpikit_consent_request(S("urn:uuid:c-1"), S(ANA), S(CITY), S("dpv"), S("dpv:ServiceProvision"), &requested), DPIKIT_OK);
    EXPECT(dpikit_consent_request(S("urn:uuid:c-1"), S(ANA), S(CITY), S("klingon"), S("x"), &s), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_consent_request(NULL, 0, S(ANA), S(CITY), S("dpv"), S("x"), &s), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(s == SENTINEL);

    EXPECT(dpikit_consent_transition(STR(requested), S("given"), S("2026-03-01T09:00:00Z"), NULL, 0, NULL, 0, &given), DPIKIT_OK);
    EXPECT(dpikit_consent_transition(STR(given), S("withdrawn"), S("2026-03-02T09:00:00Z"), S(ANA), S("moved away"), &withdrawn), DPIKIT_OK);
    EXPECT(dpikit_consent_transition(STR(withdrawn), S("given"), S("2026-03-03T09:00:00Z"), NULL, 0, NULL, 0, &s), DPIKIT_ERR_ILLEGAL_TRANSITION);
    EXPECT(dpikit_consent_transition(STR(given), S("sleeping"), NULL, 0, NULL, 0, NULL, 0, &s), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_consent_transition(S("{\"id\":"), S("given"), NULL, 0, NULL, 0, NULL, 0, &s), DPIKIT_ERR_MALFORMED_JSON);
    CHECK(s == SENTINEL);

    /* Decisions: allowed for the controller and purpose; denied otherwise (still DPIKIT_OK). */
    EXPECT(dpikit_consent_check(STR(given), S(CITY), S("dpv"), S("dpv:ServiceProvision"), S("2026-03-01T10:00:00Z"), &reason, &decision), DPIKIT_OK);
    CHECK(reason == DPIKIT_OK && strstr(decision, "\"allowed\":true") != NULL);
    dpikit_string_free(decision);
    EXPECT(dpikit_consent_check(STR(given), S("did:web:shop.example"), S("dpv"), S("dpv:ServiceProvision"), S("2026-03-01T10:00:00Z"), &reason, &decision), DPIKIT_OK);
    CHECK(reason == DPIKIT_ERR_CONSENT_PARTY_MISMATCH);
    dpikit_string_free(decision);
    EXPECT(dpikit_consent_check(STR(withdrawn), S(CITY), S("dpv"), S("dpv:ServiceProvision"), S("2026-03-05T10:00:00Z"), &reason, &decision), DPIKIT_OK);
    CHECK(reason == DPIKIT_ERR_CONSENT_NOT_GIVEN);
    dpikit_string_free(decision);
    decision = SENTINEL;
    reason = 12345;
    EXPECT(dpikit_consent_check(STR(given), S(CITY), S("dpv"), S("dpv:ServiceProvision"), S("soon"), &reason, &decision), DPIKIT_ERR_INVALID_TIMESTAMP);
    EXPECT(dpikit_consent_check(STR(given), S(CITY), S("dpv"), S("dpv:ServiceProvision"), NULL, 0, NULL, &decision), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(reason == 12345 && decision == SENTINEL);

    /* Receipts. */
    EXPECT(dpikit_key_generate(S("ed25519"), &controller), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("ed25519"), &other), DPIKIT_OK);
    EXPECT(dpikit_consent_receipt_sign(controller, STR(given), S("urn:uuid:c-1#receipt"), &receipt), DPIKIT_OK);
    EXPECT(dpikit_consent_receipt_verify(controller, STR(receipt), &verified), DPIKIT_OK);
    CHECK(strstr(verified, "urn:uuid:c-1") != NULL);
    EXPECT(dpikit_consent_receipt_verify(other, STR(receipt), &s), DPIKIT_ERR_RECEIPT_INVALID);
    EXPECT(dpikit_consent_receipt_verify(controller, S("x.y.z"), &s), DPIKIT_ERR_INVALID_BASE64);
    CHECK(s == SENTINEL);

    /* The ledger. */
    EXPECT(dpikit_ledger_open(S(":memory:"), &ledger), DPIKIT_OK);
    EXPECT(dpikit_ledger_open(S("/nonexistent-dir/x/ledger.sqlite"), &untouched), DPIKIT_ERR_LEDGER_STORAGE);
    CHECK(untouched == (dpikit_ledger *)SENTINEL);
    EXPECT(dpikit_ledger_append(ledger, S("consent.requested"), STR(requested), S("2026-03-01T08:00:00Z")), DPIKIT_OK);
    EXPECT(dpikit_ledger_append(ledger, S("consent.given"), STR(given), NULL, 0), DPIKIT_OK);
    EXPECT(dpikit_ledger_append(ledger, S("consent.given"), S("[]"), NULL, 0), DPIKIT_ERR_MALFORMED_CONSENT);
    EXPECT(dpikit_ledger_append(NULL, S("consent.given"), STR(given), NULL, 0), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_ledger_current(ledger, S("urn:uuid:c-1"), &current), DPIKIT_OK);
    CHECK(strstr(current, "urn:uuid:c-1") != NULL);
    EXPECT(dpikit_ledger_current(ledger, S("urn:uuid:nobody"), &s), DPIKIT_ERR_CONSENT_NOT_FOUND);
    CHECK(s == SENTINEL);
    EXPECT(dpikit_ledger_verify(ledger, NULL, &entries), DPIKIT_OK);
    CHECK(entries == 2);
    EXPECT(dpikit_ledger_verify(ledger, NULL, NULL), DPIKIT_ERR_NULL_PARAMETER);

    dpikit_ledger_free(ledger);
    dpikit_string_free(current);
    dpikit_string_free(verified);
    dpikit_string_free(receipt);
    dpikit_string_free(requested);
    dpikit_string_free(given);
    dpikit_string_free(withdrawn);
    dpikit_key_free(controller);
    dpikit_key_free(other);
}

#define SCHEMA_ID "https://city.example/schemas/visit/1.0.0/schema.json"
#define PERSONAL_ID "https://city.example/schemas/person/1.0.0/schema.json"

static void test_registry_and_envelopes(void) {
    dpikit_registry *registry = NULL, *untouched = (dpikit_registry *)SENTINEL;
    dpikit_key *sender = NULL, *other = NULL;
    char *key = NULL, *report = SENTINEL, *token = NULL, *envelope = NULL, *s = SENTINEL;
    char *requested = NULL, *given = NULL, *withdrawn = NULL;

    EXPECT(dpikit_registry_new(&registry), DPIKIT_OK);
    EXPECT(dpikit_registry_new(NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(untouched == (dpikit_registry *)SENTINEL);
    EXPECT(dpikit_registry_register(registry,
                                    S("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                                      "\"$id\":\"" SCHEMA_ID "\",\"$schemaVersion\":\"1.0.0\","
                                      "\"type\":\"object\",\"required\":[\"visits\"],"
                                      "\"properties\":{\"visits\":{\"type\":\"integer\"}}}"),
                                    &key),
           DPIKIT_OK);
    CHECK(strstr(key, "visit") != NULL);
    dpikit_string_free(key);
    EXPECT(dpikit_registry_register(registry,
                                    S("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                                      "\"$id\":\"" PERSONAL_ID "\",\"$schemaVersion\":\"1.0.0\","
                                      "\"x-dpikit-personal-data\":true,"
                                      "\"type\":\"object\",\"required\":[\"name\"],"
                                      "\"properties\":{\"name\":{\"type\":\"string\"}}}"),
                                    &key),
           DPIKIT_OK);
    dpikit_string_free(key);
    key = SENTINEL;
    EXPECT(dpikit_registry_register(registry, S("{\"$schema\":"), &key), DPIKIT_ERR_MALFORMED_JSON);
    CHECK(key == SENTINEL);

    EXPECT(dpikit_registry_validate(registry, S(SCHEMA_ID), NULL, 0, S("{\"visits\":3}"), &report), DPIKIT_OK);
    CHECK(report != SENTINEL);
    dpikit_string_free(report);
    report = SENTINEL;
    EXPECT(dpikit_registry_validate(registry, S(SCHEMA_ID), S("1.0.0"), S("{\"visits\":\"three\"}"), &report), DPIKIT_ERR_VALIDATION_FAILED);
    EXPECT(dpikit_registry_validate(registry, S(SCHEMA_ID), NULL, 0, S("{\"visits\":"), &report), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_registry_validate(registry, S("https://nowhere.example/x"), NULL, 0, S("{}"), &report), DPIKIT_ERR_SCHEMA_NOT_FOUND);
    CHECK(report == SENTINEL);

    /* Envelopes: seal and open; the wrong key; personal data needs a consent that allows it. */
    EXPECT(dpikit_key_generate(S("ed25519"), &sender), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("p256"), &other), DPIKIT_OK);
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.visits"), S(SCHEMA_ID), S("{\"visits\":3}"),
                                NULL, 0, NULL, 0, NULL, 0, &token),
           DPIKIT_OK);
    EXPECT(dpikit_envelope_open(registry, sender, STR(token), &envelope), DPIKIT_OK);
    CHECK(strstr(envelope, "org.city.visits") != NULL);
    dpikit_string_free(envelope);
    envelope = SENTINEL;
    EXPECT(dpikit_envelope_open(registry, other, STR(token), &envelope), DPIKIT_ERR_ALG_KEY_MISMATCH);
    CHECK(envelope == SENTINEL);
    dpikit_string_free(token);
    token = SENTINEL;
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.visits"), S(SCHEMA_ID), S("{\"visits\":\"x\"}"),
                                NULL, 0, NULL, 0, NULL, 0, &token),
           DPIKIT_ERR_VALIDATION_FAILED);
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.person"), S(PERSONAL_ID), S("{\"name\":\"Ana\"}"),
                                NULL, 0, NULL, 0, NULL, 0, &token),
           DPIKIT_ERR_CONSENT_REQUIRED);
    CHECK(token == SENTINEL);

    EXPECT(dpikit_consent_request(S("urn:uuid:c-2"), S(ANA), S(CITY), S("dpv"), S("dpv:ServiceProvision"), &requested), DPIKIT_OK);
    EXPECT(dpikit_consent_transition(STR(requested), S("given"), NULL, 0, NULL, 0, NULL, 0, &given), DPIKIT_OK);
    EXPECT(dpikit_consent_transition(STR(given), S("withdrawn"), NULL, 0, NULL, 0, NULL, 0, &withdrawn), DPIKIT_OK);
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.person"), S(PERSONAL_ID), S("{\"name\":\"Ana\"}"),
                                STR(given), S("dpv"), S("dpv:ServiceProvision"), &token),
           DPIKIT_OK);
    EXPECT(dpikit_envelope_open(registry, sender, STR(token), &envelope), DPIKIT_OK);
    CHECK(strstr(envelope, "urn:uuid:c-2") != NULL);
    dpikit_string_free(envelope);
    dpikit_string_free(token);
    token = SENTINEL;
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.person"), S(PERSONAL_ID), S("{\"name\":\"Ana\"}"),
                                STR(withdrawn), S("dpv"), S("dpv:ServiceProvision"), &token),
           DPIKIT_ERR_CONSENT_DENIED);
    EXPECT(dpikit_envelope_seal(NULL, sender, S(CITY), S("org.city.person"), S(PERSONAL_ID), S("{}"),
                                NULL, 0, NULL, 0, NULL, 0, &token),
           DPIKIT_ERR_NULL_PARAMETER);
    CHECK(token == SENTINEL);

    dpikit_string_free(requested);
    dpikit_string_free(given);
    dpikit_string_free(withdrawn);
    dpikit_key_free(sender);
    dpikit_key_free(other);
    dpikit_registry_free(registry);
    (void)s;
}

static void test_encrypted_envelopes(void) {
    dpikit_registry *registry = NULL;
    dpikit_key *sender = NULL;
    char *token = NULL, *priv = NULL, *pub = NULL, *priv2 = NULL, *pub2 = NULL, *jwe = NULL;
    char *envelope = SENTINEL, *s = SENTINEL, *s2 = SENTINEL;

    EXPECT(dpikit_registry_new(&registry), DPIKIT_OK);
    EXPECT(dpikit_key_generate(S("ed25519"), &sender), DPIKIT_OK);
    EXPECT(dpikit_registry_register(registry,
                                    S("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                                      "\"$id\":\"" SCHEMA_ID "\",\"$schemaVersion\":\"1.0.0\","
                                      "\"type\":\"object\",\"properties\":{\"visits\":{\"type\":\"integer\"}}}"),
                                    &s),
           DPIKIT_OK);
    dpikit_string_free(s);
    s = SENTINEL;
    EXPECT(dpikit_envelope_seal(registry, sender, S(CITY), S("org.city.visits"), S(SCHEMA_ID), S("{\"visits\":3}"),
                                NULL, 0, NULL, 0, NULL, 0, &token),
           DPIKIT_OK);

    EXPECT(dpikit_jwe_key_generate(S("x25519"), &priv, &pub), DPIKIT_OK);
    EXPECT(dpikit_jwe_key_generate(S("p256"), &priv2, &pub2), DPIKIT_OK);
    CHECK(priv && strstr(priv, "\"d\"") != NULL && pub && strstr(pub, "\"d\"") == NULL);
    EXPECT(dpikit_jwe_key_generate(S("rsa"), &s, &s2), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_jwe_key_generate(S("p256"), &s, NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(s == SENTINEL && s2 == SENTINEL);

    EXPECT(dpikit_envelope_encrypt(STR(token), STR(pub), &jwe), DPIKIT_OK);
    CHECK(jwe != NULL && strchr(jwe, '.') != NULL);
    EXPECT(dpikit_envelope_decrypt(registry, sender, STR(jwe), STR(priv), &envelope), DPIKIT_OK);
    CHECK(envelope != SENTINEL && strstr(envelope, "org.city.visits") != NULL);
    dpikit_string_free(envelope);
    envelope = SENTINEL;
    EXPECT(dpikit_envelope_decrypt(registry, sender, STR(jwe), STR(priv2), &envelope), DPIKIT_ERR_JWE_INVALID);
    EXPECT(dpikit_envelope_decrypt(registry, sender, STR(jwe), S("{\"kty\":"), &envelope), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_envelope_decrypt(NULL, sender, STR(jwe), STR(priv), &envelope), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(envelope == SENTINEL);
    EXPECT(dpikit_envelope_encrypt(S("e30..c2ln"), STR(pub), &s), DPIKIT_ERR_MALFORMED_ENVELOPE);
    EXPECT(dpikit_envelope_encrypt(STR(token), S("{}"), &s), DPIKIT_ERR_JWE_INVALID);
    EXPECT(dpikit_envelope_encrypt(STR(token), STR(pub), NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(s == SENTINEL);

    dpikit_string_free(jwe);
    dpikit_string_free(priv);
    dpikit_string_free(pub);
    dpikit_string_free(priv2);
    dpikit_string_free(pub2);
    dpikit_string_free(token);
    dpikit_key_free(sender);
    dpikit_registry_free(registry);
}

/* ---- Shared vectors (../shared/vectors, or DPIKIT_VECTORS); under CI=true a missing folder fails. ---- */

static const char *vectors = NULL;

/* Reads `rel` below the vectors folder into a malloc'd buffer (free with free()). */
static uint8_t *read_vector(const char *rel, size_t *len) {
    char path[1024];
    FILE *f;
    long size;
    uint8_t *buf;
    snprintf(path, sizeof path, "%s/%s", vectors, rel);
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    CHECK(buf != NULL && fread(buf, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    if (buf) {
        buf[size] = 0;
    }
    *len = (size_t)size;
    return buf;
}

/* Finds the vectors folder; 0 when absent (a skip), and a failure when CI=true. */
static int find_vectors(void) {
    char probe[1024];
    FILE *f;
    const char *ci = getenv("CI");
    vectors = getenv("DPIKIT_VECTORS");
    if (!vectors || !*vectors) {
        vectors = "../shared/vectors";
    }
    snprintf(probe, sizeof probe, "%s/vc/PROVENANCE.md", vectors);
    f = fopen(probe, "rb");
    if (f) {
        fclose(f);
        return 1;
    }
    if (ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0)) {
        fprintf(stderr, "test vectors missing at %s (set DPIKIT_VECTORS); CI must not skip\n", vectors);
        failures++;
    } else {
        fprintf(stderr, "skipping the vector tests: %s not found\n", vectors);
    }
    return 0;
}

/* Does the JSON `report` hold a finding or row with this code? */
static int has_code(const char *report, dpikit_result code) {
    char needle[32];
    snprintf(needle, sizeof needle, "\"code\":%u", (unsigned)code);
    return report != NULL && strstr(report, needle) != NULL;
}

static const char *RFC8037_A4 =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

static void test_vectors_keys_and_credentials(void) {
    size_t n1 = 0, n2 = 0, nc = 0, nv = 0, ne = 0;
    uint8_t *a1 = read_vector("vc/rfc8037/A.1-private-jwk.json", &n1);
    uint8_t *a2 = read_vector("vc/rfc8037/A.2-public-jwk.json", &n2);
    uint8_t *ctx = read_vector("vc/eddsa/contexts/credentials-v2.jsonld", &nc);
    uint8_t *ex = read_vector("vc/eddsa/contexts/credentials-examples-v2.jsonld", &ne);
    uint8_t *signed_vc = read_vector("vc/eddsa-rdfc-2022/signedDataInt.json", &nv);
    dpikit_key *priv = NULL, *pub = NULL;
    dpikit_verifier *verifier = NULL;
    uint8_t *payload = (uint8_t *)SENTINEL;
    size_t payload_len = 777;
    char *token = NULL, *report = SENTINEL, *tampered, *at;
    char bad[256];

    /* RFC 8037: A.1 (private) and A.2 (public) keys; A.4 verifies; a flipped signature does not. */
    EXPECT(dpikit_key_from_jwk(a1, n1, &priv), DPIKIT_OK);
    EXPECT(dpikit_key_from_jwk(a2, n2, &pub), DPIKIT_OK);
    EXPECT(dpikit_jws_verify(pub, STR(RFC8037_A4), &payload, &payload_len), DPIKIT_OK);
    CHECK(payload_len == strlen("Example of Ed25519 signing") &&
          memcmp(payload, "Example of Ed25519 signing", payload_len) == 0);
    dpikit_bytes_free(payload, payload_len);
    payload = (uint8_t *)SENTINEL;
    payload_len = 777;
    snprintf(bad, sizeof bad, "%s", RFC8037_A4);
    bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'K' ? 'L' : 'K';
    EXPECT(dpikit_jws_verify(pub, STR(bad), &payload, &payload_len), DPIKIT_ERR_INVALID_SIGNATURE);
    CHECK(payload == (uint8_t *)SENTINEL && payload_len == 777);
    EXPECT(dpikit_jws_sign(priv, S("Example of Ed25519 signing"), &token), DPIKIT_OK);
    EXPECT(dpikit_jws_verify(pub, STR(token), &payload, &payload_len), DPIKIT_OK);
    dpikit_bytes_free(payload, payload_len);
    dpikit_string_free(token);
    token = SENTINEL;
    EXPECT(dpikit_jws_sign(pub, S("x"), &token), DPIKIT_ERR_MISSING_PRIVATE_KEY);
    CHECK(token == SENTINEL);

    /* W3C vc-di-eddsa: the published eddsa-rdfc-2022 credential verifies (its issuer is an
     * HTTPS URL, so issuer binding is off); a changed claim fails with proof_invalid. */
    EXPECT(dpikit_verifier_new(&verifier), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_context(verifier, S("https://www.w3.org/ns/credentials/v2"), ctx, nc), DPIKIT_OK);
    EXPECT(dpikit_verifier_add_context(verifier, S("https://www.w3.org/ns/credentials/examples/v2"), ex, ne), DPIKIT_OK);
    EXPECT(dpikit_verifier_set_time(verifier, S("2024-01-01T00:00:00Z")), DPIKIT_OK);
    EXPECT(dpikit_credential_verify(verifier, signed_vc, nv, &report), DPIKIT_ERR_VERIFICATION_METHOD_MISMATCH);
    CHECK(report == SENTINEL);
    EXPECT(dpikit_verifier_set_issuer_binding(NULL, false), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_verifier_set_issuer_binding(verifier, false), DPIKIT_OK);
    EXPECT(dpikit_credential_verify(verifier, signed_vc, nv, &report), DPIKIT_OK);
    CHECK(report != SENTINEL && strstr(report, "\"verified\":true") != NULL);
    dpikit_string_free(report);
    report = SENTINEL;
    tampered = malloc(nv + 16);
    CHECK(tampered != NULL);
    if (tampered && signed_vc) {
        memcpy(tampered, signed_vc, nv + 1);
        at = strstr(tampered, "The School of Examples");
        CHECK(at != NULL);
        if (at) {
            memcpy(at, "The School of Forgery!", 22);
        }
        EXPECT(dpikit_credential_verify(verifier, STR(tampered), &report), DPIKIT_ERR_PROOF_INVALID);
        CHECK(report == SENTINEL);
    }

    free(tampered);
    dpikit_verifier_free(verifier);
    dpikit_key_free(priv);
    dpikit_key_free(pub);
    free(a1);
    free(a2);
    free(ctx);
    free(ex);
    free(signed_vc);
}

#define SDM "exchange/smart-data-models/"
#define SDM_IO "https://smart-data-models.github.io/"

static void test_vectors_smart_data_models(void) {
    static const char *common[] = {"common-schema.json", "weather-schema.json", "Environment-schema.json"};
    /* model folder, schema $id, whether its example.json validates (PROVENANCE.md) */
    static const struct { const char *dir; const char *id; int valid; } models[] = {
        {"Environment/AirQualityObserved", SDM_IO "dataModel.Environment/AirQualityObserved/schema.json", 0},
        {"Weather/WeatherObserved", SDM_IO "dataModel.Weather/WeatherObserved/schema.json", 1},
        {"Parking/ParkingSpot", SDM_IO "dataModel.Parking/ParkingSpot/schema.json", 1},
        {"Streetlighting/Streetlight", SDM_IO "dataModel.Streetlighting/Streetlight/schema.json", 1},
        {"IssueTracking/service_requests", SDM_IO "dataModel.IssueTracking/service_requests/schema.json", 1},
    };
    dpikit_registry *registry = NULL;
    char path[512], *key = NULL, *report = SENTINEL;
    size_t i, n;
    uint8_t *bytes;

    EXPECT(dpikit_registry_new(&registry), DPIKIT_OK);
    for (i = 0; i < sizeof common / sizeof *common; i++) {
        snprintf(path, sizeof path, SDM "common/%s", common[i]);
        bytes = read_vector(path, &n);
        EXPECT(dpikit_registry_register(registry, bytes, n, &key), DPIKIT_OK);
        dpikit_string_free(key);
        key = NULL;
        free(bytes);
    }
    EXPECT(dpikit_registry_add_alias(registry,
                                     S("https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json"),
                                     S(SDM_IO "dataModel.Environment/Environment-schema.json")),
           DPIKIT_OK);
    EXPECT(dpikit_registry_add_alias(registry, S("https://a.example/x.json"), S("https://nowhere.example/y.json")),
           DPIKIT_ERR_SCHEMA_NOT_FOUND);
    EXPECT(dpikit_registry_add_alias(NULL, S("a"), S("b")), DPIKIT_ERR_NULL_PARAMETER);
    for (i = 0; i < sizeof models / sizeof *models; i++) {
        snprintf(path, sizeof path, SDM "%s/schema.json", models[i].dir);
        bytes = read_vector(path, &n);
        EXPECT(dpikit_registry_register(registry, bytes, n, &key), DPIKIT_OK);
        dpikit_string_free(key);
        key = NULL;
        free(bytes);
        snprintf(path, sizeof path, SDM "%s/examples/example.json", models[i].dir);
        bytes = read_vector(path, &n);
        report = SENTINEL;
        if (models[i].valid) {
            EXPECT(dpikit_registry_validate(registry, STR(models[i].id), NULL, 0, bytes, n, &report), DPIKIT_OK);
            CHECK(report != SENTINEL);
            dpikit_string_free(report);
        } else {
            EXPECT(dpikit_registry_validate(registry, STR(models[i].id), NULL, 0, bytes, n, &report),
                   DPIKIT_ERR_VALIDATION_FAILED);
            CHECK(report == SENTINEL);
        }
        free(bytes);
    }
    dpikit_registry_free(registry);
}

static void test_vectors_consent_formats(void) {
    /* file, format, expected result (as the consent crate's own walk of PROVENANCE.md) */
    static const struct { const char *file; const char *format; dpikit_result expect; } cases[] = {
        {"kantara/kantara-cr-v1.1.0-example.json", "kantara", DPIKIT_OK},
        {"kantara/kantara-cr-v1.1.0-schema.json", "kantara", DPIKIT_ERR_CONSENT_IMPORT_FAILED},
        {"kantara/kantara-mvcr-0.x-exampleinput.json", "kantara", DPIKIT_ERR_CONSENT_IMPORT_FAILED},
        {"rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.json", "rebit", DPIKIT_OK},
        {"rebit-aa/finvu-aa-v1-consent-artefact-response.json", "rebit", DPIKIT_OK},
        {"rebit-aa/rebit-aa-api-2.1.0-definitions.swagger2.json", "rebit", DPIKIT_ERR_CONSENT_IMPORT_FAILED},
        {"dpv-27560/dpv27560-ex34a-consent-state.jsonld", "dpv", DPIKIT_OK},
        {"dpv-27560/dpv27560-ex45-receipt-multiple-records.jsonld", "dpv", DPIKIT_OK},
        {"dpv-27560/dpv27560-ex46-receipt-with-required-record-fields.jsonld", "dpv", DPIKIT_ERR_DUPLICATE_KEY},
        {"govstack-bb-consent/govstack-bb-consent-mock-fixtures.json", "govstack", DPIKIT_OK},
        {"govstack-bb-consent/govstack-bb-consent-openapi-1.1.0-rc1-components.json", "govstack", DPIKIT_ERR_CONSENT_IMPORT_FAILED},
        {"data-agreements/ada-data-agreement-v1-example.json", "govstack", DPIKIT_ERR_CONSENT_IMPORT_FAILED},
    };
    char path[512], *imported, *exported = SENTINEL, *record = NULL;
    size_t i, n;
    uint8_t *bytes;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(path, sizeof path, "consent/%s", cases[i].file);
        bytes = read_vector(path, &n);
        imported = SENTINEL;
        EXPECT(dpikit_consent_import(STR(cases[i].format), bytes, n, &imported), cases[i].expect);
        if (cases[i].expect == DPIKIT_OK) {
            CHECK(imported != SENTINEL && strstr(imported, "\"records\":[{") != NULL &&
                  strstr(imported, "\"loss\":{\"dropped\":") != NULL);
            dpikit_string_free(imported);
        } else {
            CHECK(imported == SENTINEL);
        }
        free(bytes);
    }
    imported = SENTINEL;
    EXPECT(dpikit_consent_import(S("xml"), S("{}"), &imported), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_consent_import(S("dpv"), NULL, 0, &imported), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_consent_import(S("dpv"), S("{}"), NULL), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_consent_import(BAD_UTF8, sizeof BAD_UTF8, S("{}"), &imported), DPIKIT_ERR_BINDING_INVALID_UTF8);
    CHECK(imported == SENTINEL);

    /* Export: DPV keeps the record; GovStack is import-only. */
    EXPECT(dpikit_consent_request(S("urn:uuid:c-9"), S("did:example:ana"), S("https://city.example"), S("dpv"),
                                  S("dpv:ServiceProvision"), &record),
           DPIKIT_OK);
    EXPECT(dpikit_consent_export(S("dpv"), STR(record), &exported), DPIKIT_OK);
    CHECK(exported != SENTINEL && strstr(exported, "urn:uuid:c-9") != NULL && strstr(exported, "\"loss\"") != NULL);
    dpikit_string_free(exported);
    exported = SENTINEL;
    EXPECT(dpikit_consent_export(S("govstack"), STR(record), &exported), DPIKIT_ERR_CONSENT_EXPORT_INVALID);
    EXPECT(dpikit_consent_export(S("dpv"), S("{\"id\":"), &exported), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_consent_export(S("xml"), STR(record), &exported), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_consent_export(S("dpv"), STR(record), NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(exported == SENTINEL);
    dpikit_string_free(record);
}

#define ISO "payments/iso20022/"

static void test_vectors_iso20022(void) {
    static const char *positive[] = {
        "camt.054.001.08_cbprplus_envelope.xml", "pain.001.001.09_cbprplus_envelope.xml",
        "pacs.008.001.08_cbprplus_envelope.xml", "pacs.008.001.08_pm4ml_mobilemoney_RWF.xml",
        "pacs.002.001.10_cbprplus_envelope.xml", "pacs.002.001.10_pm4ml_accepted.xml",
        "pacs.002.001.10_pm4ml_rejected.xml",    "pacs.004.001.09_cbprplus_envelope.xml",
    };
    /* negative sample, rule pack, lenient, expected call result, expected first finding, another finding */
    static const struct {
        const char *file; const char *rules; int lenient; dpikit_result call; dpikit_result first; dpikit_result also;
    } negative[] = {
        {"pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml", NULL, 0, DPIKIT_ERR_UNKNOWN_ELEMENT, 0, 0},
        {"pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml", NULL, 1, DPIKIT_OK, DPIKIT_ERR_UNKNOWN_ELEMENT, DPIKIT_ERR_FACET_VIOLATION},
        {"pacs.008.001.08_pm4ml_template_uuid_exceeds_Max35Text.xml", NULL, 0, DPIKIT_OK, DPIKIT_ERR_FACET_VIOLATION, 0},
        {"pain.002.001.10_pm4ml_empty_required_fields.xml", NULL, 0, DPIKIT_OK, DPIKIT_ERR_FACET_VIOLATION, 0},
        {"pain.001.001.09_rustiso_generated_many_rule_violations.xml", NULL, 0, DPIKIT_OK, 0, DPIKIT_ERR_INVALID_IBAN},
        {"pacs.008.001.08_cbprplus_bad_IBAN_BIC_mismatch.xml", NULL, 0, DPIKIT_OK, 0, DPIKIT_ERR_HEADER_MISMATCH},
        {"pacs.008.001.08_cbprplus_violates_R41_XAU.xml", NULL, 0, DPIKIT_OK, DPIKIT_OK, 0},
        {"pacs.008.001.08_cbprplus_violates_R41_XAU.xml", "cbpr-plus", 0, DPIKIT_OK, DPIKIT_ERR_SCHEME_RULE_VIOLATION, 0},
    };
    static const char *unsupported[] = {
        "pain.001.001.03_moov_international_USD.xml", "camt.053.001.02_moov_statement_1.xml",
        "camt.053.001.04_moov_postfinance.xml",
    };
    char path[512], *report, *json = NULL, *xml = NULL;
    dpikit_result first;
    size_t i, n;
    uint8_t *bytes;

    for (i = 0; i < sizeof positive / sizeof *positive; i++) {
        snprintf(path, sizeof path, ISO "samples/%s", positive[i]);
        bytes = read_vector(path, &n);
        first = 4242;
        report = NULL;
        EXPECT(dpikit_iso20022_validate(bytes, n, false, S("cbpr-plus"), &first, &report), DPIKIT_OK);
        CHECK(first == DPIKIT_OK && report != NULL && strstr(report, "\"valid\":true") != NULL);
        dpikit_string_free(report);
        /* XML -> JSON -> XML keeps the message (header included) valid. */
        EXPECT(dpikit_iso20022_to_json(bytes, n, &json), DPIKIT_OK);
        EXPECT(dpikit_iso20022_to_xml(STR(json), &xml), DPIKIT_OK);
        report = NULL;
        EXPECT(dpikit_iso20022_validate(STR(xml), false, NULL, 0, &first, &report), DPIKIT_OK);
        CHECK(first == DPIKIT_OK);
        dpikit_string_free(report);
        dpikit_string_free(json);
        dpikit_string_free(xml);
        json = xml = NULL;
        free(bytes);
    }
    for (i = 0; i < sizeof negative / sizeof *negative; i++) {
        snprintf(path, sizeof path, ISO "negative/%s", negative[i].file);
        bytes = read_vector(path, &n);
        first = 4242;
        report = SENTINEL;
        EXPECT(dpikit_iso20022_validate(bytes, n, negative[i].lenient != 0,
                                        (const uint8_t *)negative[i].rules, negative[i].rules ? strlen(negative[i].rules) : 0,
                                        &first, &report),
               negative[i].call);
        if (negative[i].call == DPIKIT_OK) {
            if (negative[i].first != 0 || negative[i].also == 0) {
                EXPECT(first, negative[i].first);
            } else {
                CHECK(first != 0);
            }
            if (negative[i].also) {
                CHECK(has_code(report, negative[i].also));
            }
            CHECK(strstr(report, negative[i].first || negative[i].also ? "\"valid\":false" : "\"valid\":true") != NULL);
            dpikit_string_free(report);
        } else {
            CHECK(first == 4242 && report == SENTINEL);
        }
        free(bytes);
    }
    for (i = 0; i < sizeof unsupported / sizeof *unsupported; i++) {
        snprintf(path, sizeof path, ISO "samples/%s", unsupported[i]);
        bytes = read_vector(path, &n);
        json = SENTINEL;
        EXPECT(dpikit_iso20022_to_json(bytes, n, &json), DPIKIT_ERR_UNSUPPORTED_MESSAGE);
        CHECK(json == SENTINEL);
        free(bytes);
    }
    first = 4242;
    report = SENTINEL;
    EXPECT(dpikit_iso20022_validate(S("<!DOCTYPE x [<!ENTITY a \"b\">]><Document/>"), false, NULL, 0, &first, &report),
           DPIKIT_ERR_XML_FORBIDDEN);
    EXPECT(dpikit_iso20022_validate(S("<Document/>"), false, S("sepa"), &first, &report), DPIKIT_ERR_INVALID_ARGUMENT);
    EXPECT(dpikit_iso20022_validate(NULL, 0, false, NULL, 0, &first, &report), DPIKIT_ERR_NULL_PARAMETER);
    EXPECT(dpikit_iso20022_validate(S("<Document/>"), false, NULL, 0, NULL, &report), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(first == 4242 && report == SENTINEL);
    xml = SENTINEL;
    EXPECT(dpikit_iso20022_to_xml(S("{\"message\":\"pacs.008.001.13\",\"Document\":{}}"), &xml), DPIKIT_ERR_UNSUPPORTED_MESSAGE);
    EXPECT(dpikit_iso20022_to_xml(S("{\"message\":"), &xml), DPIKIT_ERR_MALFORMED_JSON);
    CHECK(xml == SENTINEL);
}

/* Copies the string member `key` of a flat JSON text into `buf` (enough for the test vectors). */
static int json_string(const char *json, const char *key, char *buf, size_t size) {
    char needle[64];
    const char *at, *end;
    snprintf(needle, sizeof needle, "\"%s\"", key);
    at = json ? strstr(json, needle) : NULL;
    if (!at || !(at = strchr(at + strlen(needle), '"')) || !(end = strchr(at + 1, '"')) ||
        (size_t)(end - at) > size) {
        return 0;
    }
    memcpy(buf, at + 1, (size_t)(end - at - 1));
    buf[end - at - 1] = 0;
    return 1;
}

static void test_vectors_mojaloop_mapping(void) {
    size_t n = 0, np = 0;
    char *transfer = (char *)read_vector("payments/mojaloop/fspiop-v1/POST_transfers.sdk-scheme-adapter.json", &n);
    uint8_t *pacs002 = read_vector(ISO "samples/pacs.002.001.10_pm4ml_accepted.xml", &np);
    char *xml = NULL, *report = NULL, *back = NULL, *back_report = NULL, *s = SENTINEL, *s2 = SENTINEL;
    char packet[4096], condition[128], expiration[64], id[64];
    dpikit_result first = 4242;

    CHECK(json_string(transfer, "ilpPacket", packet, sizeof packet));
    CHECK(json_string(transfer, "condition", condition, sizeof condition));
    CHECK(json_string(transfer, "expiration", expiration, sizeof expiration));
    CHECK(json_string(transfer, "transferId", id, sizeof id));
    EXPECT(dpikit_mojaloop_to_pacs008((const uint8_t *)transfer, n, S("2020-01-20T11:30:00Z"), &xml, &report), DPIKIT_OK);
    CHECK(report && strstr(report, "/ilpPacket") != NULL);
    EXPECT(dpikit_iso20022_validate(STR(xml), false, NULL, 0, &first, &s), DPIKIT_OK);
    EXPECT(first, DPIKIT_OK);
    dpikit_string_free(s);
    s = SENTINEL;
    EXPECT(dpikit_mojaloop_from_pacs008(STR(xml), STR(packet), STR(condition), STR(expiration), &back, &back_report),
           DPIKIT_OK);
    CHECK(back && strstr(back, id) != NULL && back_report != NULL);
    EXPECT(dpikit_mojaloop_from_pacs008(pacs002, np, STR(packet), STR(condition), STR(expiration), &s, &s2),
           DPIKIT_ERR_UNSUPPORTED_MESSAGE);
    EXPECT(dpikit_mojaloop_to_pacs008(S("{\"transferId\":"), NULL, 0, &s, &s2), DPIKIT_ERR_MALFORMED_JSON);
    EXPECT(dpikit_mojaloop_to_pacs008((const uint8_t *)transfer, n, NULL, 0, &s, NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(s == SENTINEL && s2 == SENTINEL);

    dpikit_string_free(xml);
    dpikit_string_free(report);
    dpikit_string_free(back);
    dpikit_string_free(back_report);
    free(transfer);
    free(pacs002);
}

static const char *BENEFICIARIES =
    "id,name,account,amount,currency,reference\n"
    "R1,Ana Silva,DE89370400440532013000,120.50,EUR,Subsidy 2026-11\n"
    "R2,Ben Okafor,+254712345678,80,EUR,Subsidy 2026-11\n"
    "R3,Eve,DE00000000000000000000,12.345,EUR,Subsidy 2026-11\n";

static void test_payments_bulk_reconcile_mojaloop(void) {
    char *xml = NULL, *report = NULL, *rec = SENTINEL, *x2 = SENTINEL, *r2 = SENTINEL, *vreport = NULL;
    char *fulfilment = NULL, *condition = NULL, *again = NULL, *c2 = SENTINEL;
    dpikit_result first = 4242;
    const uint8_t *reports[1];
    size_t lens[1], n = 0;
    uint8_t *pacs002 = vectors ? read_vector(ISO "samples/pacs.002.001.10_pm4ml_accepted.xml", &n) : NULL;

    /* CSV -> pain.001: the bad row is reported by row and column, the others are paid. */
    EXPECT(dpikit_payments_bulk_pain001(STR(BENEFICIARIES), S("B-2026-11"), S("City of Example"),
                                        S("DE89370400440532013000"), S("COBADEFFXXX"), S("2026-12-01"),
                                        S("2026-11-29T08:00:00Z"), &xml, &report),
           DPIKIT_OK);
    CHECK(xml != NULL && strstr(xml, "pain.001.001.09") != NULL);
    CHECK(report != NULL && strstr(report, "\"payments\":2") != NULL && strstr(report, "\"row\":4") != NULL);
    EXPECT(dpikit_iso20022_validate(STR(xml), false, NULL, 0, &first, &vreport), DPIKIT_OK);
    EXPECT(first, DPIKIT_OK);
    dpikit_string_free(vreport);
    EXPECT(dpikit_payments_bulk_pain001(STR(BENEFICIARIES), S("a batch id that is far too long to use"), S("City"),
                                        S("DE89370400440532013000"), NULL, 0, NULL, 0, NULL, 0, &x2, &r2),
           DPIKIT_ERR_BATCH_INVALID);
    EXPECT(dpikit_payments_bulk_pain001(S("id,name\nA,B\n"), S("B1"), S("City"), S("DE89370400440532013000"),
                                        NULL, 0, NULL, 0, NULL, 0, &x2, &r2),
           DPIKIT_ERR_BULK_ROW_INVALID);
    EXPECT(dpikit_payments_bulk_pain001(STR(BENEFICIARIES), S("B1"), S("City"), S("DE89370400440532013000"),
                                        NULL, 0, NULL, 0, NULL, 0, &x2, NULL),
           DPIKIT_ERR_NULL_PARAMETER);
    CHECK(x2 == SENTINEL && r2 == SENTINEL);

    /* Reconciliation: without answers every payment is pending; an answer to another
     * batch matches none of them. */
    EXPECT(dpikit_payments_reconcile(STR(xml), NULL, NULL, 0, &rec), DPIKIT_OK);
    CHECK(rec != SENTINEL && strstr(rec, "\"pending\":{\"count\":2") != NULL);
    dpikit_string_free(rec);
    rec = SENTINEL;
    if (pacs002) {
        reports[0] = pacs002;
        lens[0] = n;
        EXPECT(dpikit_payments_reconcile(STR(xml), reports, lens, 1, &rec), DPIKIT_OK);
        CHECK(rec != SENTINEL && strstr(rec, "\"pending\":{\"count\":2") != NULL);
        dpikit_string_free(rec);
        rec = SENTINEL;
        EXPECT(dpikit_payments_reconcile(pacs002, n, NULL, NULL, 0, &rec), DPIKIT_ERR_BATCH_INVALID);
    }
    EXPECT(dpikit_payments_reconcile(STR(xml), NULL, lens, 1, &rec), DPIKIT_ERR_NULL_PARAMETER);
    reports[0] = (const uint8_t *)"<Document/>";
    lens[0] = 11;
    EXPECT(dpikit_payments_reconcile(STR(xml), reports, lens, 1, &rec), DPIKIT_ERR_MALFORMED_MESSAGE);
    CHECK(rec == SENTINEL);

    /* Mojaloop: fulfilment = HMAC-SHA256(secret, packet), condition = SHA-256(fulfilment). */
    EXPECT(dpikit_mojaloop_fulfil(S("secret"), S("DAE"), &fulfilment, &condition), DPIKIT_OK);
    CHECK(fulfilment && strlen(fulfilment) == 43 && condition && strlen(condition) == 43);
    EXPECT(dpikit_mojaloop_condition(STR(fulfilment), &again), DPIKIT_OK);
    CHECK(again && strcmp(again, condition) == 0);
    EXPECT(dpikit_mojaloop_verify_fulfilment(STR(fulfilment), STR(condition)), DPIKIT_OK);
    EXPECT(dpikit_mojaloop_verify_fulfilment(STR(condition), STR(condition)), DPIKIT_ERR_CONDITION_MISMATCH);
    EXPECT(dpikit_mojaloop_verify_fulfilment(S("short"), STR(condition)), DPIKIT_ERR_ILP_INVALID);
    EXPECT(dpikit_mojaloop_condition(S("f5sqb7tBTWPd5Y8B"), &c2), DPIKIT_ERR_ILP_INVALID);
    EXPECT(dpikit_mojaloop_fulfil(S("secret"), S("!!"), &c2, &c2), DPIKIT_ERR_ILP_INVALID);
    EXPECT(dpikit_mojaloop_fulfil(S("secret"), S("DAE"), &c2, NULL), DPIKIT_ERR_NULL_PARAMETER);
    CHECK(c2 == SENTINEL);

    dpikit_string_free(fulfilment);
    dpikit_string_free(condition);
    dpikit_string_free(again);
    dpikit_string_free(xml);
    dpikit_string_free(report);
    free(pacs002);
}

/* Writes a freshly issued credential to `path`, for the examples/c verifier to read. */
static void write_sample_credential(const char *path) {
    dpikit_key *issuer = NULL;
    char *secured = NULL;
    FILE *f;
    EXPECT(dpikit_key_generate(S("ed25519"), &issuer), DPIKIT_OK);
    EXPECT(dpikit_credential_issue(issuer, S("eddsa-jcs-2022"), STR(CREDENTIAL), &secured), DPIKIT_OK);
    f = fopen(path, "w");
    CHECK(f != NULL && secured != NULL);
    if (f && secured) {
        fputs(secured, f);
    }
    if (f) {
        fclose(f);
    }
    dpikit_string_free(secured);
    dpikit_key_free(issuer);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        write_sample_credential(argv[1]);
    }
    test_errors_and_strings();
    test_keys_and_jws();
    test_credentials();
    test_status_lists();
    test_consent_and_ledger();
    test_registry_and_envelopes();
    test_encrypted_envelopes();
    test_payments_bulk_reconcile_mojaloop();
    if (find_vectors()) {
        test_vectors_keys_and_credentials();
        test_vectors_smart_data_models();
        test_vectors_consent_formats();
        test_vectors_iso20022();
        test_vectors_mojaloop_mapping();
    }
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
