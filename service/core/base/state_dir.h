// StateDir: the files Keyport keeps under keyport.state_dir — the SoftHSM config and token
// directory it manages, and the region tokens' PIN files (mode 0600).
#pragma once

#include <filesystem>

#include "hsm/bytes.h"
#include "service/core/base/config.h"

namespace keyport {

// Creates the state, token and PIN directories (0700) and, when Keyport manages SoftHSM,
// writes softhsm2.conf if it is missing or stale and points SOFTHSM2_CONF at it. Must run
// before the PKCS#11 module is loaded.
void prepareStateDir(const Config& config);

// Reads a PIN file; throws ConfigError naming the file when it is missing or empty.
hsm::SecretBytes readPinFile(const std::filesystem::path& file);
// Writes a PIN file atomically with mode 0600; never overwrites an existing file.
void writePinFile(const std::filesystem::path& file, const hsm::SecretBytes& pin);
// A fresh PIN: 32 hex characters from the OpenSSL DRBG.
hsm::SecretBytes generatePin();

}  // namespace keyport
