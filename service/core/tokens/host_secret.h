// Secret bytes the host holds (host-assisted OAEP output, combined key components) brought
// onto a token: C_CreateObject with the cleanup SoftHSM 2.6.1 needs, and the AES check value
// of such bytes computed on the token.
#pragma once

#include <string>

#include "hsm/attributes.h"
#include "hsm/bytes.h"
#include "hsm/session.h"

namespace keyport {

// C_CreateObject of `tmpl` (which carries the value). SoftHSM 2.6.1 can leave a partial
// object behind after a failed C_CreateObject, so the object gets a one-off label and
// whatever carries that label is destroyed when the create fails.
hsm::ObjectHandle createFromHost(hsm::Session& s, hsm::AttributeTemplate tmpl);

// The check value (KCV) of an AES key held on the host: the first 3 bytes of AES-CMAC over
// one zero block, as 6 uppercase hex digits. Computed ON THE TOKEN with a short-lived,
// sensitive, sign-only session copy of the key (hsm::policy::checkValueKey), destroyed
// before this returns. CMAC rather than ECB of a zero block: the CMAC form never exposes a
// full cipher block of the key, and SoftHSM 2.6.1 has CKM_AES_CMAC.
std::string aesCheckValue(hsm::Session& s, const hsm::SecretBytes& key);
// The same check value of an AES key already on the token (it must allow CKA_SIGN).
std::string aesCheckValueOf(hsm::Session& s, hsm::ObjectHandle key);

}  // namespace keyport
