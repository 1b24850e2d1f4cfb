#include "service/api/exoscale/exo_call.h"

#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {

// The spec's path parameter is format uuid: anything else is "Bad Request".
std::string ExoCall::keyId() const {
    const std::string& id = req.param("id");
    if (!isUuid(id)) throw Error(ErrorCode::InvalidParameter, "must be a UUID", "id");
    return id;
}

}  // namespace keyport::api::exoscale
