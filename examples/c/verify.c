/*
 * verify: a tiny credential verifier on libdpikit_ffi.
 *
 *   verify credential.json      prints the verification report; exits 0 when it verifies,
 *                               1 when it does not (the report then comes from the last
 *                               error message), 2 on a usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dpikit.h"

int main(int argc, char **argv) {
    static char message[1 << 16];
    dpikit_verifier *verifier = NULL;
    char *report = NULL;
    unsigned char *input;
    size_t len, written = 0;
    long size;
    dpikit_result r;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CREDENTIAL_FILE\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    input = malloc((size_t)size + 1);
    len = input ? fread(input, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!input) {
        return 2;
    }

    r = dpikit_verifier_new(&verifier);
    if (r == DPIKIT_OK) {
        r = dpikit_credential_verify(verifier, input, len, &report);
    }
    if (r == DPIKIT_OK) {
        printf("%s\n", report);
        dpikit_string_free(report);
    } else {
        fprintf(stderr, "not verified: %s (%u)\n", dpikit_error_name(r), (unsigned)r);
        if (dpikit_last_error_message(message, sizeof message, &written) == DPIKIT_OK) {
            printf("%s\n", message);
        }
    }
    dpikit_verifier_free(verifier);
    free(input);
    return r == DPIKIT_OK ? 0 : 1;
}
