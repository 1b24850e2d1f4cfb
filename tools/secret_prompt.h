// Reading key components: a line typed on the terminal without echo (ECHO off for the read,
// the terminal restored on every path, SIGINT and SIGTERM included), or a component file;
// either way the hex lands in hsm::SecretBytes only.
#pragma once

#include <string>

#include "hsm/bytes.h"

namespace keyport::cli {

// Prompts on stderr and reads one line from the terminal `fd` with echo off. Spaces are
// dropped (forms print components in groups); anything else must be a hex digit. Throws
// std::runtime_error for a non-hex or overlong line and for end of input.
hsm::SecretBytes readSecretHexLine(int fd, const std::string& prompt);
// Prompts on stderr and reads one visible line (a check value read off a form).
std::string readVisibleLine(int fd, const std::string& prompt);
// A component file: hex, whitespace ignored.
hsm::SecretBytes readSecretHexFile(const std::string& path);

}  // namespace keyport::cli
