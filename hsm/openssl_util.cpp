#include "hsm/openssl_util.h"

#include <openssl/err.h>

namespace hsm::ossl {
namespace {

std::string drainErrors(const std::string& what) {
    std::string m = what;
    unsigned long e;
    bool first = true;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        m += first ? ": " : "; ";
        m += buf;
        first = false;
    }
    return m;
}

}  // namespace

Error::Error(const std::string& what) : std::runtime_error(drainErrors(what)) {}

}  // namespace hsm::ossl
