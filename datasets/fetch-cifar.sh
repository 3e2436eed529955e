#!/usr/bin/env bash
# For users with internet access: downloads the CIFAR-10 and CIFAR-100 "binary version" into a
# folder (default ~/datasets). Never run by the build, the tests or CI.
#   datasets/fetch-cifar.sh [DIR]    then: imblab-cli train --dataset cifar10 --data DIR/cifar-10-batches-bin
set -euo pipefail
dir=${1:-$HOME/datasets}
mkdir -p "$dir"
cd "$dir"
for name in cifar-10-binary cifar-100-binary; do
  [ -f "$name.tar.gz" ] || curl -fL -o "$name.tar.gz" "https://www.cs.toronto.edu/~kriz/$name.tar.gz"
  tar xzf "$name.tar.gz"
done
echo "CIFAR-10 in $dir/cifar-10-batches-bin, CIFAR-100 in $dir/cifar-100-binary"
