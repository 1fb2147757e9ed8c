// libyaml for Swift: the public header only (YAMLEvents reads kubeconfig files and `validate` input, issue 14).
#include <yaml.h>
