// Host-assisted RSA-OAEP decryption: raw RSA (CKM_RSA_X_509) on-token, the OAEP padding
// removed on the host in locked, zeroised memory. The one place both users share it:
// imports under OAEP-SHA-256 on tokens without it (import.host_assisted_oaep), and
// decryption of RSA ciphertexts of customer data.
#pragma once

#include <optional>

#include "hsm/bytes.h"
#include "hsm/mechanism.h"
#include "hsm/session.h"

namespace keyport {

// Decrypts `ciphertext` with the RSA private key `key` of `modulusBytes` bytes. Every
// failure — the token refusing, a block longer than the modulus, bad padding — is the
// same std::nullopt, so a caller cannot become a padding oracle by telling them apart.
// Marks nothing broken itself: the session pool discards a session after a failed call.
std::optional<hsm::SecretBytes> hostOaepDecrypt(hsm::Session& session, hsm::ObjectHandle key,
                                                std::size_t modulusBytes, hsm::ByteView ciphertext,
                                                hsm::Hash hash);

}  // namespace keyport
