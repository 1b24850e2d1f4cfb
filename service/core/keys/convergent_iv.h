// ConvergentIv: the synthetic GCM IV of a convergent AES key (NAVER's isConvergent), computed
// on the token so that equal (key version, context, plaintext) give equal ciphertexts.
//
// Design (SIV-style, "synthetic IV" as in RFC 5297 and AES-GCM-SIV's nonce derivation):
//   K_iv = AES-ECB_K(L1 || L2)          derived on-token (CKM_AES_ECB_ENCRYPT_DATA), where K
//                                        is the key's material version, L1/L2 fixed labels
//   IV   = first 12 bytes of HMAC-SHA256_{K_iv}(tag || len(AAD) || AAD || plaintext)
//                                        on-token (CKM_SHA256_HMAC), AAD the ciphertext's
//                                        associated data: format, key id, version, context
//   out  = AES-256-GCM_K(IV, AAD, plaintext) on-token, as every other ciphertext
// Why it is safe: the IV is a PRF of everything GCM is asked to encrypt, so one IV is used
// twice only for the same (key version, context, plaintext), where the output is the same
// too; it reveals exactly equality, the leak convergent encryption exists for. Different
// inputs collide in the 96-bit IV with probability ~q^2/2^97 after q encryptions (the usual
// random-IV bound for GCM). K_iv is never exposed by GCM: each label ends in 32 zero bits,
// a block GCM never encrypts (counter blocks are IV||ctr with ctr >= 1; H = AES_K(0^128) and
// the labels are not zero). K_iv lives only as a sensitive, sign-only session object for
// one call. Rotation gives a new K, hence a new K_iv: convergence holds per material
// version, and old ciphertexts still decrypt (the IV is stored in them).
#pragma once

#include "hsm/bytes.h"
#include "hsm/session.h"
#include "service/core/keys/ciphertext.h"

namespace keyport {

// `aesKey`: a session copy of the key opened with hsm::policy::convergentAesKey. `c` carries
// the format, key id, material version and context the IV binds.
hsm::Bytes convergentIv(hsm::Session& session, hsm::ObjectHandle aesKey, const Ciphertext& c,
                        hsm::ByteView plaintext);

}  // namespace keyport
