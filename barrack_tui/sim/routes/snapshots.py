"""Routes: snapshots."""

from fastapi import APIRouter

router = APIRouter()
