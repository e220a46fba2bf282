// libstratagem_formula.so: muparser behind the interface of engine/scenario/formula_module.hpp.

#include <muParser.h>

#include <memory>

#include "scenario/formula_module.hpp"

namespace {

using stratagem::formula_module::Api;
using stratagem::formula_module::Failure;

void describe(const mu::Parser::exception_type& e, Failure& failure) {
  failure.unknown_name =
      e.GetCode() == mu::ecUNASSIGNABLE_TOKEN || e.GetCode() == mu::ecUNEXPECTED_VAR;
  failure.pos = static_cast<int>(e.GetPos());
  failure.token = e.GetToken();
  failure.message = e.GetMsg();
}

std::vector<std::string> reserved_names() {
  std::vector<std::string> result;
  const mu::Parser parser;
  for (const auto& [name, callback] : parser.GetFunDef()) result.push_back(name);
  for (const auto& [name, value] : parser.GetConst()) result.push_back(name);
  return result;
}

bool check(const std::string& text, const std::vector<std::string>& known,
           std::vector<std::string>& used, int& results, Failure& failure) {
  std::vector<double> storage(known.size(), 1.0);
  try {
    mu::Parser parser;
    for (std::size_t i = 0; i < known.size(); ++i) parser.DefineVar(known[i], &storage[i]);
    parser.SetExpr(text);
    (void)parser.Eval();
    results = parser.GetNumResults();
    used.clear();
    for (const auto& [name, address] : parser.GetUsedVar()) used.push_back(name);
    return true;
  } catch (const mu::Parser::exception_type& e) {
    describe(e, failure);
    return false;
  }
}

void* compile(const std::string& text,
              const std::vector<std::pair<std::string, double*>>& variables, Failure& failure) {
  try {
    auto parser = std::make_unique<mu::Parser>();
    for (const auto& [name, address] : variables) parser->DefineVar(name, address);
    parser->SetExpr(text);
    (void)parser->Eval();  // builds the byte code once
    return parser.release();
  } catch (const mu::Parser::exception_type& e) {
    describe(e, failure);
    return nullptr;
  }
}

bool eval(void* compiled, double& value, Failure& failure) {
  try {
    value = static_cast<mu::Parser*>(compiled)->Eval();
    return true;
  } catch (const mu::Parser::exception_type& e) {
    describe(e, failure);
    return false;
  }
}

void destroy(void* compiled) { delete static_cast<mu::Parser*>(compiled); }

constexpr Api kApi{.version = stratagem::formula_module::kVersion,
                   .reserved_names = reserved_names,
                   .check = check,
                   .compile = compile,
                   .eval = eval,
                   .destroy = destroy};

}  // namespace

extern "C" const Api* stratagem_formula_api() { return &kApi; }
