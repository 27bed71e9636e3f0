"""Routes: account."""

from fastapi import APIRouter

router = APIRouter()
