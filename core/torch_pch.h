// Precompiled for imblab_core only: the torch headers our engine files include.
#pragma once

#include <torch/torch.h>
