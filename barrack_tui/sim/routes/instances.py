"""Routes: instances."""

from fastapi import APIRouter

router = APIRouter()
