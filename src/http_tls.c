/*
** http_tls.c: the certificate and key of `pactum serve --tls-cert --tls-key`, read and checked
** with GnuTLS (the library libmicrohttpd serves TLS with) before the service starts, so that a
** wrong file is named precisely at start-up rather than failing every handshake later.
*/
#include "http_int.h"
#include "alloc.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "banned.h"

#define TLS_MAX_FILE (1u << 20) /* a certificate chain or a key is a few kilobytes */

/* The whole file at path as a NUL-terminated string; NULL, reported naming `what`. */
static char *read_pem(const char *what, const char *path) {
  buf b;
  buf_init(&b);
  int rc = buf_read_file(&b, path);
  if (rc) {
    fprintf(stderr, "pactum: error: cannot read the TLS %s '%s': %s\n", what, path,
            rc == -2 ? "out of memory" : strerror(errno));
    buf_release(&b);
    return NULL;
  }
  if (b.len > TLS_MAX_FILE || memchr(b.data ? b.data : "", '\0', b.len)) {
    fprintf(stderr, "pactum: error: the TLS %s '%s' is not a PEM file (%s)\n", what, path,
            b.len > TLS_MAX_FILE ? "larger than 1 MiB" : "it holds a NUL byte");
    buf_release(&b);
    return NULL;
  }
  buf_putc(&b, '\0');
  if (b.failed) {
    fprintf(stderr, "pactum: error: out of memory\n");
    buf_release(&b);
    return NULL;
  }
  return buf_detach(&b);
}

int http_tls_load(const char *cert_path, const char *key_path, char **cert, char **key) {
  *cert = read_pem("certificate", cert_path);
  *key = *cert ? read_pem("key", key_path) : NULL;
  if (!*key) {
    px_free(*cert);
    *cert = NULL;
    return -1;
  }
  gnutls_datum_t cd = {(unsigned char *)*cert, (unsigned)strlen(*cert)};
  gnutls_datum_t kd = {(unsigned char *)*key, (unsigned)strlen(*key)};
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t pk = NULL;
  gnutls_certificate_credentials_t cred = NULL;
  int rc;
  if ((rc = gnutls_x509_crt_init(&crt)) < 0 || (rc = gnutls_x509_privkey_init(&pk)) < 0 ||
      (rc = gnutls_certificate_allocate_credentials(&cred)) < 0) {
    fprintf(stderr, "pactum: error: GnuTLS could not start: %s\n", gnutls_strerror(rc));
  } else if ((rc = gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_PEM)) < 0) {
    fprintf(stderr, "pactum: error: the TLS certificate '%s' is not a PEM X.509 certificate: %s\n", cert_path,
            gnutls_strerror(rc));
  } else if ((rc = gnutls_x509_privkey_import2(pk, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
    fprintf(stderr, "pactum: error: the TLS key '%s' is not a PEM private key%s: %s\n", key_path,
            strstr(*key, "ENCRYPTED") ? " without a passphrase" : "", gnutls_strerror(rc));
  } else if ((rc = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
    /* The pair as libmicrohttpd will load it: this also checks that the key is the certificate's. */
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
      fprintf(stderr, "pactum: error: the TLS key '%s' does not belong to the certificate '%s'\n", key_path, cert_path);
    else
      fprintf(stderr, "pactum: error: the TLS certificate '%s' and key '%s' cannot be used together: %s\n", cert_path,
              key_path, gnutls_strerror(rc));
  }
  if (cred) gnutls_certificate_free_credentials(cred);
  if (pk) gnutls_x509_privkey_deinit(pk);
  if (crt) gnutls_x509_crt_deinit(crt);
  if (rc >= 0) return 0;
  sodium_memzero(*key, strlen(*key));
  px_free(*cert);
  px_free(*key);
  *cert = *key = NULL;
  return -1;
}
