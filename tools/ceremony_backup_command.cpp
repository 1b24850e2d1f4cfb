// keyport ceremony: STUB (lead) until its helper's implementation lands.
#include "tools/args.h"
#include "tools/commands.h"

namespace keyport::cli {

int ceremonyBackup(const Argv&) {
    throw UsageError("not implemented yet");
}

int ceremonyRestore(const Argv&) {
    throw UsageError("not implemented yet");
}

}  // namespace keyport::cli
