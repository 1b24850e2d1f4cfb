// keyport: the command-line tool — token provisioning, credentials, benchmarks, and the
// client side of BYOK (wrap, import).
#include <cstdio>
#include <exception>
#include <string>

#include "service/api/log_text.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: keyport <command> [options]\n"
    "       keyport --version\n"
    "\n"
    "  token init   --config FILE [--define key=value ...] [--reinitialize]\n"
    "               provision every configured region token (idempotent); an existing\n"
    "               token is only wiped and re-created with --reinitialize\n"
    "  token status --config FILE [--define key=value ...]\n"
    "               show each region's token, static objects and capabilities\n"
    "               (exit 3 when a region is not provisioned)\n"
    "  credentials add --config FILE --domain D --project P --region R\n"
    "               [--role admin|user|readonly]\n"
    "               register project P of domain D in region R (if new) and issue a\n"
    "               credential; prints it once as JSON (x_auth_token, access_key,\n"
    "               secret_key)\n"
    "  tls init     --config FILE [--define key=value ...] [--host NAME ...]\n"
    "               [--client NAME] [--force]\n"
    "               make a lab CA and keyportd's certificate (and with --client one for\n"
    "               mutual TLS) under <state_dir>/tls; prints the --define lines for them\n"
    "  audit verify --config FILE [--define key=value ...] [--from FILE]\n"
    "               check the audit trail (chain, on-token seals, the database anchor)\n"
    "               from its first file or FILE; names the first bad record (exit 1)\n"
    "  ceremony backup   --config FILE --region R --shares N --threshold M --out DIR\n"
    "               [--custodian NAME ...]\n"
    "               back up the region's static keys under a new backup key split into N\n"
    "               share files, any M of which restore it\n"
    "  ceremony restore  --config FILE --region R --backup DIR --share FILE ...\n"
    "               [--reinitialize]\n"
    "               rebuild the region's token from a backup and M shares\n"
    "  ceremony rollover --config FILE --region R\n"
    "               new KEK, every blob of the region re-sealed under it, old KEK retired\n"
    "               (runs inside keyportd when it is running)\n"
    "  ceremony components --config FILE --project P --key-id K --components N\n"
    "               [--component-file FILE ...] [--check-value HEX ...] [--custodian NAME ...]\n"
    "               N custodians enter key components (hex, typed without echo, or from\n"
    "               files); each component's check value (first 3 bytes of AES-CMAC of a\n"
    "               zero block, computed on the token) is shown and, if given, compared\n"
    "               before anything is written; their XOR (in locked host memory: host-\n"
    "               assisted) is imported into the external AES_256 key K, pending import\n"
    "  ceremony export-parameters --config FILE --project P --key-id K --out FILE\n"
    "               [--algorithm RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256]\n"
    "               [--wrapping-key-spec RSA_2048|RSA_3072|RSA_4096]\n"
    "               get-parameters-for-import into a file, for `keyport wrap --parameters`\n"
    "               on an offline machine\n"
    "  ceremony import   --config FILE --project P --file FILE [--key-id K]\n"
    "               complete an offline import with `keyport wrap`'s output\n"
    "  ceremony verify   --config FILE [--transcript FILE] [--public-key PEM_FILE ...]\n"
    "  ceremony verify   --transcript FILE --public-key PEM_FILE ...\n"
    "               check the ceremony transcript (<state_dir>/ceremony/transcript.jsonl):\n"
    "               chain and signatures, against the configured tokens' ceremony keys\n"
    "               (no PIN needed) and the PEM files given (without --config: those\n"
    "               alone, no tokens or module needed); exit 1 names the first bad record.\n"
    "               A token re-initialised without a backup has a new key: records its\n"
    "               old key signed verify only with that key given as --public-key\n"
    "  ceremony public-key --config FILE --region R [--out FILE]\n"
    "               the region's ceremony signing public key as PEM (stdout or FILE) and\n"
    "               its SHA-256 fingerprint (stderr, or stdout with --out)\n"
    "  bench hsm    --config FILE [--region R] [--threads N] [--seconds S]\n"
    "               raw token rates, the yardstick for the other benchmarks\n"
    "  bench http   --config FILE [--region R] [--seconds S] [--keep-state]\n"
    "               keyportd in-process on a fresh state dir: /healthz, encrypt-data,\n"
    "               sign, get-parameters-for-import and import-key-material over HTTP,\n"
    "               beside the raw token rates of the same run\n"
    "  bench rollover --config FILE [--region R] [--keys N] [--keep-state]\n"
    "               a KEK rollover of N AES keys on a fresh state dir: blobs re-sealed\n"
    "               per second beside the token's own KWP unwrap + wrap rate\n"
    "  bench hostile --config FILE [--region R] [--idle N] [--trickle N] [--seconds S]\n"
    "               [--keep-state]\n"
    "               keyportd in-process: N idle and N header-trickling connections from\n"
    "               127.0.0.1 while a client on 127.0.0.2 measures /healthz and\n"
    "               encrypt-data; then threads, fds and RSS against before (exit 1 when\n"
    "               a target is missed)\n"
    "  wrap         --public-key B64|FILE --algorithm RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256\n"
    "               (--material FILE | --private-key PEM_FILE) [--key-id ID]\n"
    "               [--import-token T]\n"
    "               wrap key material on this machine (OpenSSL) for import-key-material;\n"
    "               prints the request fields as JSON\n"
    "  wrap         --parameters FILE (--material FILE | --private-key PEM_FILE)\n"
    "               the same from `ceremony export-parameters`' file (no network needed)\n"
    "  import       --url http://HOST:PORT --project P (--token T | --ak AK --sk SK)\n"
    "               (--material FILE | --private-key PEM_FILE) [--key-spec S]\n"
    "               [--key-usage U] [--alias A] [--algorithm RSAES_OAEP_SHA_1|_256]\n"
    "               [--wrapping-key-spec RSA_2048|3072|4096] [--expires EPOCH_SECONDS]\n"
    "               create-key (external), get-parameters-for-import, wrap, import;\n"
    "               prints the new key id\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace keyport::cli;
    Argv args(argv + 1, argv + argc);
    const std::string cmd = args.size() >= 2 ? args[0] + " " + args[1] : "";
    const Argv rest = args.size() >= 2 ? Argv(args.begin() + 2, args.end()) : Argv{};
    try {
        if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
            std::fputs(kUsage, stdout);
            return args.empty() ? 2 : 0;
        }
        if (args[0] == "--version" || args[0] == "version") {
            std::printf("keyport %s\n", KEYPORT_VERSION);
            return 0;
        }
        if (cmd == "token init") return tokenInit(rest);
        if (cmd == "token status") return tokenStatus(rest);
        if (cmd == "bench hsm") return benchHsm(rest);
        if (cmd == "bench http") return benchHttp(rest);
        if (cmd == "bench hostile") return benchHostile(rest);
        if (cmd == "bench rollover") return benchRollover(rest);
        if (cmd == "credentials add") return credentialsAdd(rest);
        if (cmd == "tls init") return tlsInit(rest);
        if (cmd == "audit verify") return auditVerify(rest);
        if (cmd == "ceremony backup") return ceremonyBackup(rest);
        if (cmd == "ceremony restore") return ceremonyRestore(rest);
        if (cmd == "ceremony rollover") return ceremonyRollover(rest);
        if (cmd == "ceremony components") return ceremonyComponents(rest);
        if (cmd == "ceremony export-parameters") return ceremonyExportParameters(rest);
        if (cmd == "ceremony import") return ceremonyImport(rest);
        if (cmd == "ceremony verify") return ceremonyVerify(rest);
        if (cmd == "ceremony public-key") return ceremonyPublicKey(rest);
        const Argv tail(args.begin() + 1, args.end());
        if (args[0] == "wrap") return wrapMaterial(tail);
        if (args[0] == "import") return importKey(tail);
        throw UsageError("unknown command '" + (cmd.empty() ? args[0] : cmd) + "'");
    } catch (const UsageError& e) {
        std::fprintf(stderr, "keyport: %s\n%s", e.what(), kUsage);
        return 2;
    } catch (const std::exception& e) {
        // The message may quote a server's answer: escaped, so it cannot drive the terminal.
        std::fprintf(stderr, "keyport: %s\n", keyport::api::printable(e.what(), 2048).c_str());
        return 1;
    }
}
