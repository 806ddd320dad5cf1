#!/bin/sh
# Prisma's schema engine cannot be downloaded here; generate does not need it.
exit 1
