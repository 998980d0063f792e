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
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}
