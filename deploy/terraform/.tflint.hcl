# tflint's core (terraform) ruleset with every rule on, for each module and example (npm run check:terraform).
config {
  # why: each module and example is linted on its own; registry modules can't be downloaded here.
  call_module_type = "none"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
