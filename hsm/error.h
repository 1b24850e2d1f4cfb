// hsm::Error: a failed PKCS#11 call, carrying the CK_RV and the function that returned it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "hsm/pkcs11.h"

namespace hsm {

// Name of a return value, e.g. "CKR_PIN_INCORRECT"; unknown values as hex.
std::string rvName(CK_RV rv);

class Error : public std::runtime_error {
  public:
    // A PKCS#11 function returned rv.
    Error(CK_RV rv, std::string_view function, std::string_view context = {});
    // A failure of the hsm layer itself (no PKCS#11 return value).
    explicit Error(std::string message);

    CK_RV rv() const noexcept { return rv_; }
    const std::string& function() const noexcept { return function_; }

  private:
    CK_RV rv_ = CKR_GENERAL_ERROR;
    std::string function_;
};

// Throws Error(rv, function) unless rv is CKR_OK.
inline void check(CK_RV rv, std::string_view function, std::string_view context = {}) {
    if (rv != CKR_OK) throw Error(rv, function, context);
}

}  // namespace hsm
