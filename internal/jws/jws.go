// Package jws signs and verifies compact JSON Web Tokens with ES256, the
// one algorithm Agilicus uses: identity assertions signed with an
// authentication document's key, and the access tokens of the mock API's
// issuer. It is shared by the client and the mock, which otherwise know
// nothing of each other.
package jws

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
)

// SignES256 encodes claims as a compact JWT signed with key.
func SignES256(key *ecdsa.PrivateKey, claims any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT"})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	digest := sha256.Sum256([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return "", err
	}
	// JWS wants r and s as two 32-byte big-endian halves, not ASN.1.
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// VerifyES256 checks a compact JWT's ES256 signature with key and decodes
// its claims into out.
func VerifyES256(token string, key *ecdsa.PublicKey, out any) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(h, &header) != nil || header.Alg != "ES256" {
		return errors.New("the header does not say ES256")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return errors.New("the signature is not 64 bytes of ES256")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return errors.New("the signature does not match the key")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return errors.New("the payload is not base64url")
	}
	return json.Unmarshal(payload, out)
}

// Claims decodes a JWT's claims without checking its signature: only for
// what a holder of the token may read of it, such as when it expires.
func Claims(token string, out any) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return errors.New("the payload is not base64url")
	}
	return json.Unmarshal(payload, out)
}
