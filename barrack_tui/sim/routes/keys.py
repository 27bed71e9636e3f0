"""Routes: keys."""

from fastapi import APIRouter

router = APIRouter()
