// keyportd: the Keyport HTTP service (Poco ServerApplication). Loads the config, logs in to
// every region token, opens the database and serves the dialects until SIGTERM/SIGINT.
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "service/api/frontend.h"
#include "service/api/metrics_routes.h"
#include "service/core/base/service_lock.h"
#include "service/core/services.h"
#include "service/keyportd/change_feed_poller.h"
#include "service/keyportd/expiry_sweeper.h"
#include "service/keyportd/rollover_runner.h"

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

class Keyportd : public Poco::Util::ServerApplication {
  protected:
    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(Option("help", "h", "print this help and exit"));
        options.addOption(Option("version", "V", "print the version and exit"));
        options.addOption(Option("config", "c", "the keyport.properties file (required)")
                              .argument("FILE")
                              .repeatable(false));
        options.addOption(Option("define", "D", "override a config key (repeatable)")
                              .argument("key=value")
                              .repeatable(true));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        ServerApplication::handleOption(name, value);
        if (name == "help") {
            help_ = true;
            stopOptionsProcessing();
        } else if (name == "version") {
            version_ = true;
            stopOptionsProcessing();
        } else if (name == "config") {
            configFile_ = value;
        } else if (name == "define") {
            defines_.push_back(value);
        }
    }

    int main(const std::vector<std::string>& args) override {
        if (version_) {
            std::cout << "keyportd " << KEYPORT_VERSION << "\n";
            return EXIT_OK;
        }
        if (help_) {
            Poco::Util::HelpFormatter help(options());
            help.setCommand(commandName());
            help.setUsage("--config FILE [--define key=value ...]");
            help.setHeader(
                "Keyport: HSM-backed key import and replication (Huawei KMS and CSMS, Exoscale "
                "KMS, NAVER Cloud KMS dialects).");
            help.format(std::cout);
            return EXIT_OK;
        }
        if (!args.empty()) return fail(EXIT_USAGE, "unexpected argument '" + args.front() + "'");
        if (configFile_.empty()) return fail(EXIT_USAGE, "--config FILE is required (see --help)");
        std::optional<keyport::Config> config;
        try {
            config = keyport::Config::load(configFile_, defines_);
        } catch (const keyport::ConfigError& e) {
            return fail(EXIT_CONFIG, e.what());
        }
        try {
            return serve(std::move(*config));
        } catch (const keyport::ConfigError& e) {
            // Config read at start-up rather than by Config::load (server.tls.* files).
            return fail(EXIT_CONFIG, e.what());
        } catch (const Poco::Exception& e) {
            return fail(EXIT_SOFTWARE,
                        e.displayText());  // e.g. "Net Exception: Address already in use"
        } catch (const std::exception& e) {
            return fail(EXIT_SOFTWARE, e.what());
        }
    }

  private:
    int serve(keyport::Config config) {
        using namespace keyport;
        Services services(std::move(config));
        // Binds first: a second instance stops there, before it touches the audit trail.
        api::Frontend server(services, api::FrontendOptions{true, KEYPORT_VERSION});
        // One keyportd per state dir; the CLI also takes this lock to run a KEK rollover
        // itself, and tells from it whether keyportd is there to run one.
        const auto lock = ServiceLock::tryAcquire(services.config.stateDir);
        if (!lock) {
            throw std::runtime_error(
                "another process holds " + ServiceLock::pathIn(services.config.stateDir).string() +
                " (a keyportd on this state dir, or `keyport ceremony rollover` running a KEK "
                "rollover itself); stop it or wait for it to finish");
        }
        std::optional<api::MetricsServer> metricsServer;
        if (!services.config.metrics.address.empty()) metricsServer.emplace(services.config);
        // Before anything is cached: changes other processes commit (CLI ceremonies) reach
        // this process's caches within a second.
        ChangeFeedPoller feed(*services.db, *services.keys);
        services.startServing();
        server.start();
        ExpirySweeper sweeper(*services.keys, *services.secrets, *services.rotation);
        RolloverRunner rollovers(services);  // resumes a rollover a crash interrupted
        if (metricsServer) {
            metricsServer->start();
            // Before the listening line, which tests wait for: this one is there by then.
            std::printf("keyportd: metrics on %s:%u\n", services.config.metrics.host().c_str(),
                        metricsServer->port());
        }
        // Tests and scripts read the bound port from this line (port 0 picks one).
        std::printf("keyportd: listening on %s:%u (%zu regions)\n",
                    services.config.server.address.c_str(), server.port(),
                    services.regions->all().size());
        std::fflush(stdout);
        waitForTerminationRequest();
        server.stop();
        if (metricsServer) metricsServer->stop();
        std::printf("keyportd: stopped\n");
        return EXIT_OK;
    }

    static int fail(int code, const std::string& why) {
        std::fprintf(stderr, "keyportd: %s\n", why.c_str());
        return code;
    }

    bool help_ = false;
    bool version_ = false;
    std::string configFile_;
    std::vector<std::string> defines_;
};

}  // namespace

POCO_SERVER_MAIN(Keyportd)
