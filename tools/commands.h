// The keyport CLI's subcommands. Each returns the process exit code and throws UsageError
// for bad arguments; any other exception becomes one "keyport: <cause>" line.
#pragma once

#include <string>
#include <vector>

namespace keyport::cli {

using Argv = std::vector<std::string>;

int tokenInit(const Argv& args);
int tokenStatus(const Argv& args);
int benchHsm(const Argv& args);
int credentialsAdd(const Argv& args);
int wrapMaterial(const Argv& args);
int importKey(const Argv& args);
int benchHttp(const Argv& args);
int benchRollover(const Argv& args);
int benchHostile(const Argv& args);
int tlsInit(const Argv& args);
int auditVerify(const Argv& args);
// keyport ceremony ...: one function per verb, each in its own tools/ceremony_*.cpp.
int ceremonyBackup(const Argv& args);
int ceremonyRestore(const Argv& args);
int ceremonyRollover(const Argv& args);
int ceremonyComponents(const Argv& args);
int ceremonyExportParameters(const Argv& args);
int ceremonyImport(const Argv& args);
int ceremonyVerify(const Argv& args);
int ceremonyPublicKey(const Argv& args);

}  // namespace keyport::cli
