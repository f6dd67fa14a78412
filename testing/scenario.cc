#include "testing/scenario.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <utility>

namespace coproxy::testing {
namespace {

// The words after the event name and its subject: headers (name=value), options (the
// same shape, picked out by name) and the `end` flag.
struct Arguments {
  Pairs pairs;
  bool end = false;
  std::vector<std::string> plain;  // words that are neither

  std::optional<std::string> take(std::string_view option) {
    for (auto it = pairs.begin(); it != pairs.end(); ++it) {
      if (it->first == option) {
        std::string value = std::move(it->second);
        pairs.erase(it);
        return value;
      }
    }
    return std::nullopt;
  }
};

Arguments parse_arguments(const std::vector<std::string>& words, size_t first) {
  Arguments arguments;
  for (size_t i = first; i < words.size(); ++i) {
    const std::string& word = words[i];
    const size_t equals = word.find('=', 1);  // 1: a name may start with ':' but not '='
    if (word == "end") {
      arguments.end = true;
    } else if (equals != std::string::npos) {
      arguments.pairs.emplace_back(word.substr(0, equals), word.substr(equals + 1));
    } else {
      arguments.plain.push_back(word);
    }
  }
  return arguments;
}

std::optional<uint64_t> parse_number(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The tokens of the callouts (HTTP or gRPC) the live VM made, in order: the canary VM's calls
// got no answer in Envoy, so a scenario's "callout N" never counts them.
std::vector<uint32_t> live_vm_callouts(const Host& host, bool http) {
  std::vector<uint32_t> tokens;
  if (http) {
    for (const HttpCallout& call : host.http_callouts()) {
      if (!call.canary) tokens.push_back(call.token);
    }
  } else {
    for (const GrpcCallout& call : host.grpc_callouts()) {
      if (!call.canary) tokens.push_back(call.token);
    }
  }
  return tokens;
}

std::string show_pairs(const Pairs& pairs) {
  std::string text = "{";
  for (const auto& [name, value] : pairs) {
    if (text.size() > 1) text += ", ";
    text += name + ": " + value;
  }
  return text + "}";
}

// A status by its name as the trace prints it (CAS_MISMATCH) or its number.
std::optional<StatusCode> parse_status(std::string_view text) {
  if (std::optional<uint64_t> number = parse_number(text)) {
    if (*number <= static_cast<uint64_t>(StatusCode::Unimplemented)) {
      return static_cast<StatusCode>(*number);
    }
    return std::nullopt;
  }
  for (uint32_t code = 0; code <= static_cast<uint32_t>(StatusCode::Unimplemented); ++code) {
    if (text == Status(static_cast<StatusCode>(code)).name()) return static_cast<StatusCode>(code);
  }
  return std::nullopt;
}

}  // namespace

bool split_scenario_line(std::string_view line, std::vector<std::string>* words,
                         std::string* error) {
  words->clear();
  std::string word;
  bool in_word = false, quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        quoted = false;
      } else if (c == '\\') {
        const char next = i + 1 < line.size() ? line[++i] : '\0';
        switch (next) {
          case 'n': word += '\n'; break;
          case 't': word += '\t'; break;
          case 'r': word += '\r'; break;
          case '"': word += '"'; break;
          case '\\': word += '\\'; break;
          default:
            *error = next == '\0' ? std::string("a \\ at the end of the line")
                                  : std::string("unknown escape \\") + next +
                                        " (known: \\n \\t \\r \\\" \\\\)";
            return false;
        }
      } else {
        word += c;
      }
    } else if (c == '"') {
      quoted = in_word = true;
    } else if (c == '#') {
      break;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words->push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) {
    *error = "unterminated quote";
    return false;
  }
  if (in_word) words->push_back(std::move(word));
  return true;
}

Scenario::Scenario(PluginLoader loader, std::function<void(std::string_view)> out)
    : loader_(std::move(loader)), out_(std::move(out)) {}

bool Scenario::fail(std::string message) {
  error_ = std::move(message);
  return false;
}

bool Scenario::ensure_emulator() {
  if (emulator_) return true;
  emulator_ = std::make_unique<Emulator>(loader_, behaviour_);
  if (!emulator_->loaded()) return fail("the plugin is not linked into this runner");
  emulator_->host().enable_trace(out_);
  return true;
}

uint32_t Scenario::stream_id(const std::string& name) {
  auto it = streams_.find(name);
  return it == streams_.end() ? 0 : it->second;
}

void Scenario::show(const std::string& name) {
  const uint32_t id = stream_id(name);
  StreamState& stream = emulator_->host().stream(id);
  if (connections_.count(name)) {  // TCP: the bytes that went on each way
    out_("   " + name + " downstream data:  " + TraceValue(stream.request.forwarded).text());
    out_("   " + name + " upstream data:    " + TraceValue(stream.response.forwarded).text());
    if (!stream.closed.empty()) out_("   " + name + " closed by the plugin");
    return;
  }
  out_("   " + name + " request headers:  " + show_pairs(stream.maps[0]));
  if (!stream.request.forwarded.empty()) {
    out_("   " + name + " request body:     " + TraceValue(stream.request.forwarded).text());
  }
  out_("   " + name + " response headers: " + show_pairs(stream.maps[2]));
  if (!stream.response.forwarded.empty()) {
    out_("   " + name + " response body:    " + TraceValue(stream.response.forwarded).text());
  }
  if (stream.local_response) {
    out_("   " + name + " local response:   " + std::to_string(stream.local_response->status_code) +
         " " + TraceValue(stream.local_response->body).text() + " " +
         show_pairs(stream.local_response->headers));
  }
}

void Scenario::show_metrics() {
  static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
  const std::vector<Host::Metric>& metrics = emulator_->host().metrics();
  if (metrics.empty()) out_("   (no metrics)");
  for (const Host::Metric& metric : metrics) {
    const auto type = static_cast<size_t>(metric.type);
    out_("   " + metric.name + " (" + (type < 3 ? kTypes[type] : "metric") +
         "): " + std::to_string(metric.value));
  }
}

void Scenario::show_logs() {
  static constexpr const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical"};
  const std::vector<LogEntry>& logs = emulator_->host().logs();
  if (logs_shown_ == logs.size()) out_("   (no new log lines)");
  for (; logs_shown_ < logs.size(); ++logs_shown_) {
    const LogEntry& entry = logs[logs_shown_];
    const auto level = static_cast<size_t>(entry.level);
    out_("   [" + std::string(level < 6 ? kLevels[level] : "log") + "] " + entry.message);
  }
}

bool Scenario::run(std::string_view text) {
  size_t line_number = 0;
  std::vector<std::string> words;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    const std::string where = "line " + std::to_string(line_number) + ": ";
    std::string error;
    if (!split_scenario_line(line, &words, &error)) return stop(where + error);
    if (words.empty()) continue;
    out_("## " + std::string(line));
    if (!run_line(words)) return stop(where + error_);
    if (emulator_ && emulator_->failed()) {
      return stop(where + "the plugin trapped: " + *emulator_->plugin().trap_message());
    }
  }
  return true;
}

// The run ends at a line that failed: the trace says why, where it stops.
bool Scenario::stop(std::string message) {
  out_("!! " + message);
  error_ = std::move(message);
  return false;
}

bool Scenario::run_line(const std::vector<std::string>& words) {
  const std::string& event = words[0];
  const std::string subject = words.size() > 1 ? words[1] : "";
  Arguments arguments = parse_arguments(words, 2);
  const std::string chunk = arguments.plain.empty() ? "" : arguments.plain[0];

  if (event == "behaviour") {
    if (emulator_) return fail("behaviour must come before the first event");
    Arguments options = parse_arguments(words, 1);
    for (const auto& [name, value] : options.pairs) {
      if (name == "hold_body" && (value == "on" || value == "off")) {
        behaviour_.header_pause_holds_body = value == "on";
      } else if (name == "continue" && (value == "after_return" || value == "reentrant")) {
        behaviour_.continue_delivery = value == "reentrant"
                                           ? HostBehaviour::ContinueDelivery::Reentrant
                                           : HostBehaviour::ContinueDelivery::AfterReturn;
      } else if (name == "failed_callout" && (value == "empty" || value == "local_reply")) {
        behaviour_.failed_callout = value == "local_reply"
                                        ? HostBehaviour::FailedCallout::LocalReply
                                        : HostBehaviour::FailedCallout::EmptyResponse;
      } else if (name == "canary" && (value == "on" || value == "off")) {
        behaviour_.canary_vm = value == "on";
      } else if (name == "grpc_deadline" &&
                 (value == "deadline_exceeded" || value == "unavailable")) {
        behaviour_.grpc_deadline = value == "unavailable"
                                       ? HostBehaviour::GrpcDeadline::Unavailable
                                       : HostBehaviour::GrpcDeadline::DeadlineExceeded;
      } else if (name == "same_instant" && (value == "tick_first" || value == "timeout_first")) {
        behaviour_.same_instant = value == "timeout_first" ? HostBehaviour::SameInstant::TimeoutFirst
                                                           : HostBehaviour::SameInstant::TickFirst;
      } else {
        return fail("unknown behaviour " + name + "=" + value);
      }
    }
    return true;
  }
  if (!ensure_emulator()) return false;
  Emulator& emu = *emulator_;

  if (event == "start") {
    Arguments options = parse_arguments(words, 1);
    root_ =
        emu.start_plugin(options.take("config").value_or(""), options.take("root_id").value_or(""),
                         options.take("vm_config").value_or(""));
    if (root_ == 0) out_("   (the plugin refused to start)");
    return true;
  }
  // The words as they are: a shared value may hold '=' (parse_arguments would take a pair).
  const std::string third = words.size() > 2 ? words[2] : "";
  if (event == "fault") {
    std::optional<StatusCode> status = parse_status(third);
    if (!subject.starts_with("proxy_") || !status) {
      return fail("fault needs an import and a status: fault proxy_set_shared_data CAS_MISMATCH");
    }
    emu.host().inject_fault(subject, *status);
    return true;
  }
  if (event == "shared_data" || event == "shared_data_race") {
    if (words.size() != 3) return fail(event + " needs a key and a value");
    if (event == "shared_data") {
      emu.host().set_shared_data(subject, third, 0);
    } else {
      emu.host().race_shared_data(subject, third);
    }
    return true;
  }
  if (event == "advance") {
    std::optional<uint64_t> ms = parse_number(subject);
    if (!ms) return fail("advance needs milliseconds");
    emu.advance(*ms);
    return true;
  }
  if (event == "queue_ready") {
    emu.deliver_queue_ready();
    return true;
  }
  if (event == "metrics") {
    show_metrics();
    return true;
  }
  if (event == "logs") {
    show_logs();
    return true;
  }
  if (root_ == 0) return fail(event + " needs a started plugin (start)");
  if (event == "tick") {
    emu.tick(root_);
    return true;
  }
  if (event == "stop") {
    emu.stop_plugin(root_);
    return true;
  }
  if (event == "foreign") {
    std::optional<uint64_t> id = parse_number(subject);
    if (!id) return fail("foreign needs a function id");
    emu.call_foreign_function(root_, static_cast<uint32_t>(*id), chunk);
    return true;
  }
  static constexpr std::string_view kCalloutEvents[] = {
      "answer_http", "fail_http", "grpc_initial_metadata", "grpc_message", "grpc_trailing_metadata",
      "grpc_close"};
  if (std::find(std::begin(kCalloutEvents), std::end(kCalloutEvents), event) !=
      std::end(kCalloutEvents)) {
    const bool http = event.ends_with("_http");
    const std::vector<uint32_t> tokens = live_vm_callouts(emu.host(), http);
    std::optional<uint64_t> n = parse_number(subject);
    if (!n || *n == 0 || *n > tokens.size()) {
      return fail(event + ": no callout number " + subject + " (" + std::to_string(tokens.size()) +
                  " made so far)");
    }
    const uint32_t token = tokens[*n - 1];
    if (event == "answer_http") {
      std::string body = arguments.take("body").value_or("");
      emu.answer_http_call(token, std::move(arguments.pairs), std::move(body));
    } else if (event == "fail_http") {
      emu.fail_http_call(token);
    } else if (event == "grpc_initial_metadata") {
      emu.grpc_initial_metadata(token, std::move(arguments.pairs));
    } else if (event == "grpc_message") {
      emu.grpc_message(token, chunk);
    } else if (event == "grpc_trailing_metadata") {
      emu.grpc_trailing_metadata(token, std::move(arguments.pairs));
    } else {
      std::optional<uint64_t> status = parse_number(chunk);
      if (!status) return fail("grpc_close needs a status");
      const std::string message = arguments.plain.size() > 1 ? arguments.plain[1] : "";
      emu.grpc_close(token, static_cast<uint32_t>(*status), message);
    }
    return true;
  }

  // Stream events.
  static constexpr std::string_view kStreamEvents[] = {
      "stream",           "connection",     "request_headers",   "request_body", "request_trailers",
      "response_headers", "response_body",  "response_trailers", "downstream",   "upstream",
      "close_downstream", "close_upstream", "end_stream",        "show"};
  if (std::find(std::begin(kStreamEvents), std::end(kStreamEvents), event) ==
      std::end(kStreamEvents)) {
    return fail("unknown event '" + event + "'");
  }
  if (subject.empty()) return fail(event + " needs a stream name");
  if (event == "stream" || event == "connection") {
    if (streams_.count(subject)) return fail("stream " + subject + " exists");
    const uint32_t id = emu.open_stream(root_);
    streams_[subject] = id;
    if (event == "connection") {
      connections_.insert(subject);
      emu.new_connection(id);
    }
    return true;
  }
  const uint32_t id = stream_id(subject);
  if (id == 0) return fail("no stream " + subject);
  if (event == "request_headers") {
    emu.send_request_headers(id, std::move(arguments.pairs), arguments.end);
  } else if (event == "request_body") {
    emu.send_request_body(id, chunk, arguments.end);
  } else if (event == "request_trailers") {
    emu.send_request_trailers(id, std::move(arguments.pairs));
  } else if (event == "response_headers") {
    emu.send_response_headers(id, std::move(arguments.pairs), arguments.end);
  } else if (event == "response_body") {
    emu.send_response_body(id, chunk, arguments.end);
  } else if (event == "response_trailers") {
    emu.send_response_trailers(id, std::move(arguments.pairs));
  } else if (event == "downstream") {
    emu.send_downstream_data(id, chunk, arguments.end);
  } else if (event == "upstream") {
    emu.send_upstream_data(id, chunk, arguments.end);
  } else if (event == "close_downstream") {
    emu.close_downstream(id);
  } else if (event == "close_upstream") {
    emu.close_upstream(id);
  } else if (event == "end_stream") {
    emu.end_stream(id);
  } else {
    show(subject);
  }
  return true;
}

}  // namespace coproxy::testing
